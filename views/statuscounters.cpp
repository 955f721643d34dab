// SPDX-License-Identifier: MIT
#include "statuscounters.h"

#include "busurl.h"
#include "colours.h"
#include "eventprofile.h"
#include "session.h"
#include "sessionfeed.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QToolButton>
#include <QVBoxLayout>

StatusCounters::StatusCounters(const Session& session, const SessionFeed& feed, QStatusBar* bar, QWidget* window)
    : QObject(window)
    , m_session(session)
    , m_feed(feed)
    , m_bar(bar)
    , m_window(window)
{
    const std::pair<const char*, QString> counters[]
        = { { "rate", tr("Show the charts") }, { "events", tr("Show the event log") },
              { "chains", tr("Show the correlation explorer") }, { "malformed", tr("Show the malformed records") },
              { "dropped", tr("Events dropped on arrival (never seen), and why") },
              { "evicted", tr("Events retired by the memory cap: counted everywhere, no longer browsable") },
              { "gaps", tr("Show the missing sequence numbers") } };
    for (const auto& [name, tip] : counters) {
        auto* b = new QToolButton(bar);
        b->setObjectName(QString::fromLatin1(name));
        b->setAutoRaise(true);
        b->setToolTip(tip);
        b->setAccessibleDescription(tip);
        bar->addPermanentWidget(b);
    }
    connect(counter(QStringLiteral("rate")), &QToolButton::clicked, this, &StatusCounters::chartsRequested);
    connect(counter(QStringLiteral("events")), &QToolButton::clicked, this, &StatusCounters::logRequested);
    connect(counter(QStringLiteral("chains")), &QToolButton::clicked, this, &StatusCounters::explorerRequested);
    connect(counter(QStringLiteral("malformed")), &QToolButton::clicked, this, &StatusCounters::showMalformed);
    connect(counter(QStringLiteral("gaps")), &QToolButton::clicked, this, &StatusCounters::showGaps);
    connect(counter(QStringLiteral("dropped")), &QToolButton::clicked, this, &StatusCounters::explainLosses);
    connect(counter(QStringLiteral("evicted")), &QToolButton::clicked, this, &StatusCounters::explainLosses);
}

QToolButton* StatusCounters::counter(const QString& name) const { return m_bar->findChild<QToolButton*>(name); }

quint64 StatusCounters::dropped() const { return m_sourceDropped + m_feed.dropped(); }

void StatusCounters::refresh(qint64 nowUs)
{
    const qint64 second = nowUs / 1000000;
    counter(QStringLiteral("rate"))
        ->setText(tr("%L1 events/s").arg(m_session.rates().all().rate(second, 1), 0, 'f', 0));
    counter(QStringLiteral("events"))->setText(tr("%L1 events").arg(m_session.eventCount()));
    QStringList decodedAs;
    for (int p = 0; p < EventProfiles::Count; ++p) {
        if (const quint64 n = m_session.profileCounts()[std::size_t(p)])
            decodedAs << tr("%1: %L2").arg(EventProfiles::title(EventProfile(p))).arg(n);
    }
    counter(QStringLiteral("events"))
        ->setToolTip(tr("Show the event log")
            + (decodedAs.isEmpty() ? QString() : tr("\nDecoded as ") + decodedAs.join(QStringLiteral(", "))));
    counter(QStringLiteral("chains"))->setText(tr("%L1 chains").arg(m_session.chains().liveCount()));
    counter(QStringLiteral("malformed"))->setText(tr("%L1 malformed").arg(m_session.malformedCount()));
    counter(QStringLiteral("dropped"))->setText(tr("%L1 dropped").arg(dropped()));
    QToolButton* evicted = counter(QStringLiteral("evicted"));
    evicted->setText(tr("%L1 evicted").arg(m_session.evictedCount()));
    evicted->setVisible(m_session.evictedCount() > 0); // the cap at work is news only once it works
    counter(QStringLiteral("gaps"))->setText(tr("%L1 gaps").arg(m_session.gaps().totalGaps()));
    // problems stand out: a non-zero count of something lost or broken is red (restyled only on change)
    for (const char* name : { "malformed", "dropped", "gaps" }) {
        QToolButton* b = counter(QString::fromLatin1(name));
        const bool bad = !b->text().startsWith(QLatin1Char('0'));
        if (b->property("bad").toBool() != bad) {
            b->setProperty("bad", bad);
            b->setStyleSheet(bad
                    ? QStringLiteral("color: %1; font-weight: bold;").arg(Colours::alarmText(b->palette()).name())
                    : QString());
        }
    }
}

void StatusCounters::explainLosses()
{
    // dropped and evicted are different losses: a dropped event was never seen (no figure counts it), an
    // evicted one was counted in every figure and only its record is gone
    QMessageBox::information(m_window, tr("Dropped and evicted events"),
        tr("Dropped on arrival: %L1 events. The window could not keep up with the connection (its queue was "
           "full): they were counted exactly, never shown, and are in no figure; the connection stayed up.\n\n"
           "Evicted by the memory cap: %L2 events. They were counted in every rate, total and chain, and "
           "their records were then retired to keep memory bounded: they can no longer be browsed.")
            .arg(dropped())
            .arg(m_session.evictedCount()));
}

void StatusCounters::showMalformed()
{
    QString text;
    const auto& recent = m_session.recentMalformed();
    for (const MalformedRecord& m : recent)
        text += m.describe(m_session.originName(m.position.origin)) + QLatin1Char('\n');
    if (text.isEmpty())
        text = tr("No malformed records.");
    else if (m_session.malformedCount() > recent.size())
        text.prepend(
            tr("The last %L1 of %L2 malformed records:\n\n").arg(recent.size()).arg(m_session.malformedCount()));
    if (m_session.clockSkewedCount() > 0) {
        // kept and shown, but their producer time was not trusted: listed here like the malformed
        const std::vector<MalformedRecord> skewed = m_session.firstClockSkewed();
        text += tr("\nClock-skewed events (the first %L1 of %L2): kept, counted at their neighbours' time\n\n")
                    .arg(skewed.size())
                    .arg(m_session.clockSkewedCount());
        for (const MalformedRecord& m : skewed)
            text += m.describe(m_session.originName(m.position.origin)) + QLatin1Char('\n');
    }
    QDialog d(m_window);
    d.setWindowTitle(tr("Malformed records"));
    auto* view = new QPlainTextEdit(text, &d);
    view->setReadOnly(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &d);
    auto* layout = new QVBoxLayout(&d);
    layout->addWidget(view);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, &d, &QDialog::reject);
    d.resize(800, 400);
    d.exec();
}

void StatusCounters::showGaps()
{
    QString text;
    for (quint16 origin : m_session.gaps().origins()) {
        const quint64 gaps = m_session.gaps().gaps(origin);
        const QString stream = BusUrl::streamOf(m_session.originName(origin));
        // a stream read by an ordered consumer loses nothing on the way: what is missing, the stream lost
        text += (stream.isEmpty()
                        ? tr("%1: %L2 missing").arg(m_session.originName(origin)).arg(gaps)
                        : tr("%1: %L2 missing, which stream %3 no longer holds (removed by its limits, a purge or "
                             "a delete)")
                              .arg(m_session.originName(origin))
                              .arg(gaps)
                              .arg(stream))
            + QLatin1Char('\n');
        for (const auto& [first, last] : m_session.gaps().missing(origin, 200))
            text += first == last ? QStringLiteral("  seq %1\n").arg(first)
                                  : QStringLiteral("  seq %1-%2\n").arg(first).arg(last);
    }
    QMessageBox box(QMessageBox::Information, tr("Sequence gaps"),
        text.isEmpty() ? tr("No sequence gaps: every seq between the lowest and the highest arrived.")
                       : tr("Sequence numbers that never arrived, per origin:"),
        QMessageBox::Close, m_window);
    box.setDetailedText(text);
    box.exec();
}
