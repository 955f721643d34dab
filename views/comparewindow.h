// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>
#include <functional>
#include <memory>

class ComparisonModel;
class QCheckBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QTableWidget;
class Session;

/// Two captures side by side (before and after a deployment): per event type the rate, failures,
/// retries and dead letters of each, per breaker its transitions and time open; what changed by a
/// quarter or more is coloured (red worse, green better, amber a rate that moved) and said in words.
/// Both files are read on a thread of their own; the window shows "Reading..." until then.
class CompareWindow : public QWidget
{
    Q_OBJECT
public:
    /// How a capture file is read into a session, whole (the application gives the connectors' reader).
    using ReadCapture = std::function<bool(Session& session, const QString& path, QString* error)>;
    CompareWindow(const QString& before, const QString& after, ReadCapture read, QWidget* parent = nullptr);
    ~CompareWindow() override;

    bool isReady() const { return m_ready; }
    QString errorString() const { return m_error; }
    ComparisonModel* model() const { return m_model; }
    /// The per-type table (its model filters to what differs when asked) and that choice.
    QTableView* typeTable() const { return m_types; }
    QCheckBox* onlyDifferences() const { return m_onlyDifferences; }
    QTableWidget* breakerTable() const { return m_breakers; }

Q_SIGNALS:
    void ready();

private:
    void showResult(std::shared_ptr<Session> a, std::shared_ptr<Session> b, const QString& error);

    QString m_before, m_after;
    QLabel* m_header;
    ComparisonModel* m_model;
    QSortFilterProxyModel* m_sorted;
    QTableView* m_types;
    QTableWidget* m_breakers;
    QCheckBox* m_onlyDifferences;
    bool m_ready = false;
    QString m_error;
};
