// SPDX-License-Identifier: MIT
#pragma once

#include <QPointer>
#include <QWidget>

class QAbstractItemModel;
class QAbstractItemView;
class QLabel;
class QPushButton;

/// Says why a table is empty, centred over its viewport ("No events yet", and why: connecting to
/// ws://..., attempt 4, connection refused), with a button for what can be done about it (Retry now),
/// shown while the view's model has no rows and hidden as soon as it has one. Widgets, not painted
/// text, so screen readers read it and the keyboard reaches the button.
class EmptyState : public QWidget
{
    Q_OBJECT
public:
    /// Over `view`, whose model is set already; `what` says what is missing ("No events yet").
    EmptyState(QAbstractItemView* view, const QString& what);
    ~EmptyState() override;

    void setWhat(const QString& what);
    /// Why (the connection's state, a capture's summary); empty: only what is missing.
    void setReason(const QString& reason);
    /// A button under the text (empty: none).
    void setAction(const QString& text);
    QString text() const;
    QPushButton* actionButton() const { return m_action; }
    /// Whether it shows now (the model is empty).
    bool isShown() const { return !isHidden(); }

Q_SIGNALS:
    void actionTriggered();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void update();

    QAbstractItemView* m_view;
    QPointer<QAbstractItemModel> m_model;
    QLabel* m_label;
    QPushButton* m_action;
    QString m_what;
    QString m_reason;
};
