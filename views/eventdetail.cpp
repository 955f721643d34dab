// SPDX-License-Identifier: MIT
#include "eventdetail.h"

#include "jsonhighlighter.h"
#include "jsontext.h"
#include "printable.h"
#include "session.h"
#include "timestamp.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

EventDetail::EventDetail(const Session& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_clocks(new QLabel(this))
    , m_json(new QPlainTextEdit(this))
    , m_copy(new QPushButton(tr("Copy as JSON"), this))
    , m_chain(new QPushButton(tr("Show its chain"), this))
    , m_shortened(new QLabel(tr("Long strings are shortened here; Copy as JSON copies them whole."), this))
    , m_full(new QPushButton(tr("Show in full"), this))
{
    m_clocks->setTextFormat(Qt::PlainText);
    m_clocks->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_clocks->setAccessibleName(tr("Event clocks"));
    m_clocks->setWordWrap(true);
    m_json->setReadOnly(true);
    m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_json->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_json->setAccessibleName(tr("Event JSON"));
    new JsonHighlighter(m_json->document());
    m_copy->setEnabled(false);
    m_chain->setEnabled(false);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_clocks, 1);
    buttons->addWidget(m_chain);
    buttons->addWidget(m_copy);
    // A string of a megabyte laid out whole costs the pane tens of megabytes and a quarter of a second;
    // shortened, what a short one costs. The whole text is one click away.
    auto* notice = new QHBoxLayout;
    notice->addWidget(m_shortened, 1);
    notice->addWidget(m_full);
    m_shortened->setVisible(false);
    m_full->setVisible(false);
    m_full->setToolTip(tr("Lay out every string whole (slow for strings of megabytes)"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addLayout(notice);
    layout->addWidget(m_json, 1);
    connect(m_full, &QPushButton::clicked, this, &EventDetail::showInFull);
    setEvent(m_event); // none yet: it says so
    connect(m_copy, &QPushButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(rawJson()); });
    connect(m_chain, &QPushButton::clicked, this, [this] { Q_EMIT chainRequested(m_event); });
}

EventDetail::~EventDetail() = default;

QString EventDetail::rawJson() const
{
    const std::string_view raw = m_session.raw(m_event);
    return QString::fromUtf8(raw.data(), qsizetype(raw.size()));
}

QString EventDetail::clocksText() const { return m_clocks->text(); }

QString EventDetail::shownJson() const { return m_json->toPlainText(); }

bool EventDetail::isShortened() const { return m_full->isVisibleTo(this); }

void EventDetail::showInFull()
{
    if (!m_session.store().contains(m_event))
        return;
    m_json->setPlainText(JsonText::pretty(m_session.raw(m_event)));
    m_shortened->setVisible(false);
    m_full->setVisible(false);
}

void EventDetail::setEvent(quint32 event)
{
    const EventStore& store = m_session.store();
    m_event = event;
    const bool stored = store.contains(event);
    m_copy->setEnabled(stored);
    if (!stored) {
        m_clocks->setText(tr("No event selected"));
        m_clocks->setToolTip({});
        m_json->clear();
        m_shortened->setVisible(false);
        m_full->setVisible(false);
        m_chain->setEnabled(false);
        return;
    }
    const EventRecord& r = store.at(event);
    m_chain->setEnabled(r.chain != EventRecord::NoChain);
    // the label wraps between words: a type shown to its 200 characters would be one word as wide as
    // the screen, so it is shortened further here (its whole text in the tooltip and the JSON)
    const std::string_view type = m_session.types().view(r.type);
    QString clocks = Printable::forDisplay(type, ClocksTypeChars);
    m_clocks->setToolTip(
        type.size() > std::size_t(ClocksTypeChars) ? Printable::forDisplay(type, Printable::TooltipChars) : QString());
    if (m_session.receiveTimeKnown(r.origin())) {
        clocks += tr("   received %1 UTC").arg(Timestamp::toIso8601(r.receiveTimeUs));
        if (r.has(EventRecord::HasEventTime))
            clocks += tr("   published %1   on the bus %2 ms")
                          .arg(Timestamp::toIso8601(r.eventTimeUs))
                          .arg(double(r.receiveTimeUs - r.eventTimeUs) / 1000.0, 0, 'f', 1);
        else
            clocks += tr("   (no producer timestamp)");
    } else if (!r.has(EventRecord::HasEventTime)) {
        clocks += tr("   no usable producer timestamp: placed at %1 UTC, its neighbours' time")
                      .arg(Timestamp::toIso8601(r.receiveTimeUs));
    } else {
        clocks += tr("   published %1 UTC").arg(Timestamp::toIso8601(r.eventTimeUs));
        if (r.receiveTimeUs != r.eventTimeUs)
            clocks += tr("   clock-skewed: placed at %1 UTC, its neighbours' time")
                          .arg(Timestamp::toIso8601(r.receiveTimeUs));
    }
    if (r.has(EventRecord::Duplicate))
        clocks += tr("   DUPLICATE id");
    m_clocks->setText(clocks);
    bool shortened = false;
    m_json->setPlainText(JsonText::prettyShortened(store.raw(r), MaxShownStringBytes, &shortened));
    m_shortened->setVisible(shortened);
    m_full->setVisible(shortened);
}
