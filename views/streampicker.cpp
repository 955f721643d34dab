// SPDX-License-Identifier: MIT
#include "streampicker.h"

#include "busurl.h"
#include "printable.h"
#include "timestamp.h"
#include "urlredaction.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QUrlQuery>
#include <QVBoxLayout>
#include <limits>

namespace {
enum Column { NameColumn, MessagesColumn, SizeColumn, FirstColumn, LastColumn, ConsumersColumn, SubjectsColumn };

QString timeText(qint64 us) { return us > 0 ? Timestamp::toIso8601(us) : QString(); }
} // namespace

StreamPickerDialog::StreamPickerDialog(const QStringList& servers, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Open bus history"));
    m_server = new QComboBox(this);
    m_server->setEditable(true);
    m_server->addItems(servers);
    m_server->setCurrentText(servers.value(0, QStringLiteral("nats+ws://127.0.0.1:4223")));
    m_server->setToolTip(tr("A NATS server's WebSocket endpoint (nats+ws:// or nats+wss://); several servers of "
                            "a cluster as nats+ws://a:4223,b:4224"));
    m_list = new QPushButton(tr("&List streams"), this);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);

    m_streams = new QTreeWidget(this);
    m_streams->setRootIsDecorated(false);
    m_streams->setUniformRowHeights(true);
    m_streams->setHeaderLabels(
        { tr("Stream"), tr("Messages"), tr("Size"), tr("First"), tr("Last"), tr("Consumers"), tr("Subjects") });
    m_streams->header()->setStretchLastSection(true);

    m_range = new QButtonGroup(this);
    auto* everything = new QRadioButton(tr("&Everything it holds"), this);
    auto* last = new QRadioButton(tr("The &last"), this);
    auto* fromSequence = new QRadioButton(tr("From &sequence"), this);
    auto* between = new QRadioButton(tr("&Between"), this);
    auto* onlyNew = new QRadioButton(tr("Only &new messages, from now on"), this);
    m_range->addButton(everything, Everything);
    m_range->addButton(last, Last);
    m_range->addButton(fromSequence, FromSequence);
    m_range->addButton(between, Between);
    m_range->addButton(onlyNew, OnlyNew);
    last->setChecked(true);
    m_last = new QComboBox(this);
    for (const auto& [label, value] :
        { std::pair { tr("15 minutes"), QStringLiteral("15m") }, std::pair { tr("hour"), QStringLiteral("1h") },
            std::pair { tr("6 hours"), QStringLiteral("6h") }, std::pair { tr("day"), QStringLiteral("24h") } })
        m_last->addItem(label, value);
    m_last->setCurrentIndex(1);
    m_sequence = new QSpinBox(this);
    m_sequence->setRange(1, std::numeric_limits<int>::max());
    m_from = new QDateTimeEdit(this);
    m_to = new QDateTimeEdit(this);
    for (QDateTimeEdit* edit : { m_from, m_to }) {
        edit->setTimeSpec(Qt::UTC);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
        edit->setDateTime(QDateTime::currentDateTimeUtc());
    }
    auto* rangeGrid = new QGridLayout;
    rangeGrid->addWidget(everything, 0, 0);
    rangeGrid->addWidget(last, 1, 0);
    rangeGrid->addWidget(m_last, 1, 1);
    rangeGrid->addWidget(fromSequence, 2, 0);
    rangeGrid->addWidget(m_sequence, 2, 1);
    rangeGrid->addWidget(between, 3, 0);
    auto* betweenRow = new QHBoxLayout;
    betweenRow->addWidget(m_from);
    betweenRow->addWidget(new QLabel(tr("and"), this));
    betweenRow->addWidget(m_to);
    rangeGrid->addLayout(betweenRow, 3, 1);
    m_follow = new QCheckBox(tr("&Then follow it live"), this);
    m_follow->setObjectName(QStringLiteral("follow"));
    rangeGrid->addWidget(onlyNew, 4, 0, 1, 2);
    rangeGrid->addWidget(m_follow, 5, 0, 1, 2);
    rangeGrid->setColumnStretch(2, 1);
    auto* followNote = new QLabel(tr("The history up to now opens in a window of its own, as a capture: replay, "
                                     "seek, bookmarks, save. Followed live, it goes on in this window after the "
                                     "history, resuming exactly where it stopped if the connection drops."),
        this);
    followNote->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_open = buttons->addButton(tr("&Open"), QDialogButtonBox::AcceptRole);
    m_open->setEnabled(false);

    auto* serverRow = new QHBoxLayout;
    serverRow->addWidget(m_server, 1);
    serverRow->addWidget(m_list);
    auto* layout = new QVBoxLayout(this);
    auto* serverLabel = new QLabel(tr("NATS &server:"), this);
    serverLabel->setBuddy(m_server);
    serverRow->insertWidget(0, serverLabel);
    layout->addLayout(serverRow);
    layout->addWidget(m_status);
    layout->addWidget(m_streams, 1);
    layout->addLayout(rangeGrid);
    layout->addWidget(followNote);
    layout->addWidget(buttons);
    resize(860, 480);

    connect(m_list, &QPushButton::clicked, this, &StreamPickerDialog::listStreams);
    connect(m_streams, &QTreeWidget::currentItemChanged, this, &StreamPickerDialog::streamChosen);
    connect(m_streams, &QTreeWidget::itemDoubleClicked, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // picking a value picks its choice
    connect(m_last, &QComboBox::activated, last, &QRadioButton::click);
    connect(m_sequence, &QSpinBox::valueChanged, fromSequence, &QRadioButton::click);
    connect(m_from, &QDateTimeEdit::dateTimeChanged, between, &QRadioButton::click);
    connect(m_to, &QDateTimeEdit::dateTimeChanged, between, &QRadioButton::click);
    // "between" has its end, "only new" none: following is a choice for the others
    connect(m_range, &QButtonGroup::idToggled, this, [this](int id, bool on) {
        if (!on)
            return;
        m_follow->setEnabled(id != Between && id != OnlyNew);
        if (id == Between)
            m_follow->setChecked(false);
        else if (id == OnlyNew)
            m_follow->setChecked(true);
    });
}

QUrl StreamPickerDialog::server() const { return BusUrl::fromText(m_server->currentText().trimmed()); }

void StreamPickerDialog::listStreams()
{
    const QUrl server = this->server();
    if (!server.scheme().startsWith(QLatin1String("nats+ws"))) {
        m_status->setText(tr("Streams are NATS JetStream's: give a nats+ws:// or nats+wss:// URL."));
        return;
    }
    m_status->setText(tr("Asking %1 for its streams...").arg(UrlRedaction::redacted(server)));
    m_list->setEnabled(false);
    Q_EMIT listRequested(server);
}

void StreamPickerDialog::setStreams(const QUrl& server, const std::vector<StreamInfo>& streams, const QString& error)
{
    m_list->setEnabled(true);
    m_listed = server;
    m_info = streams;
    m_streams->clear();
    if (!error.isEmpty()) {
        m_status->setText(tr("%1: %2").arg(UrlRedaction::redacted(server), error));
        streamChosen();
        return;
    }
    m_status->setText(streams.empty()
            ? tr("%1 keeps no streams.").arg(UrlRedaction::redacted(server))
            : (streams.size() == 1 ? tr("1 stream on %1: pick what of it to read.")
                                   : tr("%L1 streams on %2: pick one and what of it to read.").arg(streams.size()))
                  .arg(UrlRedaction::redacted(server)));
    const QLocale locale;
    for (const StreamInfo& s : streams) {
        auto* item = new QTreeWidgetItem(m_streams);
        item->setText(NameColumn, Printable::forDisplay(s.name.toStdString(), 255));
        item->setText(MessagesColumn, locale.toString(s.messages));
        item->setText(SizeColumn, locale.formattedDataSize(qint64(s.bytes), 1, QLocale::DataSizeTraditionalFormat));
        item->setText(FirstColumn, timeText(s.firstTimeUs));
        item->setText(LastColumn, timeText(s.lastTimeUs));
        item->setText(ConsumersColumn, locale.toString(s.consumers));
        item->setText(SubjectsColumn, Printable::forDisplay(s.subjects.join(u' ').toStdString(), 200));
        for (const int c : { MessagesColumn, SizeColumn, ConsumersColumn })
            item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
    }
    for (int c = 0; c < SubjectsColumn; ++c)
        m_streams->resizeColumnToContents(c);
    if (m_streams->topLevelItemCount() > 0)
        m_streams->setCurrentItem(m_streams->topLevelItem(0));
    streamChosen();
}

const StreamInfo* StreamPickerDialog::chosen() const
{
    const int row = m_streams->currentItem() ? m_streams->indexOfTopLevelItem(m_streams->currentItem()) : -1;
    return row >= 0 && std::size_t(row) < m_info.size() ? &m_info[std::size_t(row)] : nullptr;
}

void StreamPickerDialog::streamChosen()
{
    const StreamInfo* s = chosen();
    m_open->setEnabled(s != nullptr);
    if (!s)
        return;
    // the stream's own bounds as the starting values, without picking a choice
    const QSignalBlocker a(m_sequence), b(m_from), c(m_to);
    m_sequence->setValue(int(std::min<quint64>(std::max<quint64>(s->firstSeq, 1), quint64(m_sequence->maximum()))));
    if (s->firstTimeUs > 0)
        m_from->setDateTime(QDateTime::fromMSecsSinceEpoch(s->firstTimeUs / 1000, Qt::UTC));
    if (s->lastTimeUs > 0)
        m_to->setDateTime(QDateTime::fromMSecsSinceEpoch(s->lastTimeUs / 1000 + 1000, Qt::UTC));
}

void StreamPickerDialog::choose(const QString& stream, Range range)
{
    for (int i = 0; i < m_streams->topLevelItemCount(); ++i)
        if (std::size_t(i) < m_info.size() && m_info[std::size_t(i)].name == stream)
            m_streams->setCurrentItem(m_streams->topLevelItem(i));
    m_range->button(range)->click();
}

QUrl StreamPickerDialog::url() const
{
    const StreamInfo* s = chosen();
    if (!s)
        return {};
    QUrl url = m_listed.isValid() ? m_listed : server();
    if (url.path().isEmpty())
        url.setPath(QStringLiteral("/"));
    QUrlQuery query(url);
    for (const char* key : { "stream", "from", "to", "subject" })
        query.removeAllQueryItems(QString::fromLatin1(key));
    query.addQueryItem(QStringLiteral("stream"), s->name);
    const auto rfc3339 = [](const QDateTime& t) { return Timestamp::toIso8601(t.toMSecsSinceEpoch() * 1000); };
    switch (m_range->checkedId()) {
    case Everything:
        query.addQueryItem(QStringLiteral("from"), QStringLiteral("first"));
        break;
    case Last:
        query.addQueryItem(QStringLiteral("from"), m_last->currentData().toString());
        break;
    case FromSequence:
        query.addQueryItem(QStringLiteral("from"), QString::number(m_sequence->value()));
        break;
    case Between:
        query.addQueryItem(QStringLiteral("from"), rfc3339(m_from->dateTime()));
        query.addQueryItem(QStringLiteral("to"), rfc3339(m_to->dateTime()));
        break;
    default:
        query.addQueryItem(QStringLiteral("from"), QStringLiteral("new"));
        break;
    }
    // not followed: the history up to now, a range with an end
    if (!m_follow->isChecked() && m_range->checkedId() != Between && m_range->checkedId() != OnlyNew)
        query.addQueryItem(QStringLiteral("to"), rfc3339(QDateTime::currentDateTimeUtc()));
    url.setQuery(query);
    return url;
}
