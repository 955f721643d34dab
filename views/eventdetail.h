// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class Session;

/// One event in full: its JSON, pretty and highlighted (keys in their original order), and its clocks:
/// when the producer published it, when we received it, and the time between (its time on the bus).
class EventDetail : public QWidget
{
    Q_OBJECT
public:
    explicit EventDetail(const Session& session, QWidget* parent = nullptr);
    ~EventDetail() override;

    /// Shows stored event `event` (or clears when it is not stored).
    void setEvent(quint32 event);
    quint32 event() const { return m_event; }
    /// The event's JSON exactly as received.
    QString rawJson() const;
    QString clocksText() const;
    /// The text the JSON pane shows (strings over MaxShownStringBytes shortened until "Show in full").
    QString shownJson() const;
    bool isShortened() const;
    /// Lays the event's strings out whole, at whatever cost (the user asked).
    void showInFull();

    static constexpr std::size_t MaxShownStringBytes = 2000;
    static constexpr int ClocksTypeChars = 60;

Q_SIGNALS:
    void chainRequested(quint32 event);

private:
    const Session& m_session;
    quint32 m_event = 0xFFFFFFFFu;
    QLabel* m_clocks;
    QPlainTextEdit* m_json;
    QPushButton* m_copy;
    QPushButton* m_chain;
    QLabel* m_shortened;
    QPushButton* m_full;
};
