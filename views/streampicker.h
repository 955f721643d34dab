// SPDX-License-Identifier: MIT
#pragma once

#include "streaminfo.h"

#include <QDialog>
#include <QUrl>
#include <vector>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTreeWidget;

/// File > Open bus history: a NATS server's JetStream streams (name, messages, size, first and last
/// message times, consumers, subjects) and which part of one to read: everything, the last hour (or
/// 15 minutes, 6 hours, a day), from a sequence, between two times, or only what comes from now on. The
/// list comes from whoever answers listRequested() (the app asks the server) through setStreams().
class StreamPickerDialog : public QDialog
{
    Q_OBJECT
public:
    /// `servers`: NATS URLs to offer (recent connections); the first is filled in.
    explicit StreamPickerDialog(const QStringList& servers, QWidget* parent = nullptr);

    /// The server's streams, or why there are none to show.
    void setStreams(const QUrl& server, const std::vector<StreamInfo>& streams, const QString& error);
    /// The server URL as typed (several servers of a cluster allowed).
    QUrl server() const;
    /// The URL to read: the server's, with `stream=`, `from=` and, unless it is followed live, `to=`
    /// (between two times: the second; else now).
    QUrl url() const;

    enum Range { Everything, Last, FromSequence, Between, OnlyNew };
    /// For tests and for remembering the last choice.
    void choose(const QString& stream, Range range);
    QComboBox* lastCombo() const { return m_last; }
    QSpinBox* sequenceSpin() const { return m_sequence; }
    QCheckBox* followCheck() const { return m_follow; }

    /// Asks for the typed server's streams (listRequested()).
    void listStreams();

Q_SIGNALS:
    void listRequested(const QUrl& server);

private:
    void streamChosen();
    const StreamInfo* chosen() const;

    QComboBox* m_server = nullptr;
    QPushButton* m_list = nullptr;
    QLabel* m_status = nullptr;
    QTreeWidget* m_streams = nullptr;
    QButtonGroup* m_range = nullptr;
    QComboBox* m_last = nullptr;
    QSpinBox* m_sequence = nullptr;
    QDateTimeEdit* m_from = nullptr;
    QDateTimeEdit* m_to = nullptr;
    QPushButton* m_open = nullptr;
    QCheckBox* m_follow = nullptr;
    QUrl m_listed; ///< the server the list is of
    std::vector<StreamInfo> m_info;
};
