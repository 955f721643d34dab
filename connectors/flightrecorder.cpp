// SPDX-License-Identifier: MIT
#include "flightrecorder.h"

#include "background.h"
#include "capturewriter.h"
#include "session.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <vector>

namespace {
constexpr qint64 Second = 1000000;

/// One event as the writer needs it: copied out of the session (which may drop it meanwhile).
struct Frame
{
    quint16 origin;
    qint64 timeUs;
    QByteArray bytes;
};
} // namespace

FlightRecorder::FlightRecorder(const Session& session, QObject* parent)
    : QObject(parent)
    , m_session(session)
{
    m_options.directory = QDir::homePath();
}

FlightRecorder::~FlightRecorder() = default;

bool FlightRecorder::setOptions(const Options& options, QString* error)
{
    EventFilter filter;
    if (!options.filter.trimmed().isEmpty() && !filter.parse(options.filter, error))
        return false;
    m_options = options;
    m_options.minutes = std::clamp(options.minutes, 1, 24 * 60);
    m_options.afterSeconds = std::clamp(options.afterSeconds, 0, 3600);
    m_filter = std::move(filter);
    return true;
}

void FlightRecorder::setArmed(bool armed)
{
    m_armed = armed;
    // triggers look at what arrives from now on
    m_nextEvent = m_session.store().end();
    m_deadLetters = m_session.retries().count(RetryTracker::DeadLetter);
    m_transitions.clear();
    for (std::size_t b = 0; b < m_session.breakers().size(); ++b)
        m_transitions.push_back(m_session.breakers().at(b).transitionCount);
}

void FlightRecorder::check(qint64 nowUs)
{
    if (m_armed) {
        QStringList fired;
        if (m_options.onBreakerOpen) {
            const BreakerTracker& breakers = m_session.breakers();
            m_transitions.resize(breakers.size(), 0);
            for (std::size_t b = 0; b < breakers.size(); ++b) {
                const Breaker& breaker = breakers.at(b);
                const quint64 fresh = breaker.transitionCount - m_transitions[b];
                m_transitions[b] = breaker.transitionCount;
                const std::size_t kept = breaker.history.size();
                for (std::size_t i = kept - std::min<std::size_t>(kept, std::size_t(fresh)); i < kept; ++i)
                    if (breaker.history[i].to == BreakerTransition::Open) {
                        fired << QStringLiteral("breaker %1 opened").arg(QString::fromStdString(breaker.name));
                        break;
                    }
            }
        }
        const quint64 deadLetters = m_session.retries().count(RetryTracker::DeadLetter);
        if (m_options.onDeadLetter && deadLetters > m_deadLetters)
            fired << tr("%n dead letter(s)", nullptr, int(deadLetters - m_deadLetters));
        m_deadLetters = deadLetters;
        const EventStore& store = m_session.store();
        quint32 i = std::max(m_nextEvent, store.first());
        if (!m_filter.isEmpty()) {
            // at most 20 ms of filtering per call: a flood may leave it behind (it goes on from where it
            // was, or from the oldest event still kept), never the window stalled
            const QDeadlineTimer budget(20);
            for (; i != store.end(); ++i) {
                if (m_filter.matches(m_session, i)) {
                    fired << tr("an event matched %1").arg(m_options.filter);
                    i = store.end();
                    break;
                }
                if ((i & 1023) == 0 && budget.hasExpired())
                    break;
            }
        } else {
            i = store.end();
        }
        m_nextEvent = i;
        if (!fired.isEmpty()) {
            for (const QString& reason : std::as_const(fired))
                Q_EMIT triggered(reason);
            if (m_pendingUntilUs == 0) {
                m_triggerUs = nowUs;
                m_pendingUntilUs = nowUs + qint64(m_options.afterSeconds) * Second;
            }
            m_reasons << fired;
        }
    }
    if (m_pendingUntilUs != 0 && nowUs >= m_pendingUntilUs) {
        const QString path = QDir(m_options.directory).filePath(fileNameFor(m_triggerUs, m_reasons.constFirst()));
        save(path, m_triggerUs - qint64(m_options.minutes) * 60 * Second, m_pendingUntilUs,
            m_reasons.join(QStringLiteral("; ")));
        m_pendingUntilUs = 0;
        m_reasons.clear();
    }
}

void FlightRecorder::saveNow(const QString& path, qint64 nowUs)
{
    save(path, nowUs - qint64(m_options.minutes) * 60 * Second, nowUs, tr("saved on demand"));
}

QString FlightRecorder::fileNameFor(qint64 timeUs, const QString& reason)
{
    QString slug;
    for (const QChar c : reason.toLower())
        slug += c.isLetterOrNumber() && c.unicode() < 128 ? c : QChar(u'-');
    while (slug.contains(QLatin1String("--")))
        slug.replace(QLatin1String("--"), QLatin1String("-"));
    slug = slug.left(40);
    while (slug.endsWith(u'-'))
        slug.chop(1);
    while (slug.startsWith(u'-'))
        slug.remove(0, 1);
    return QStringLiteral("eventscope-flight-%1-%2.escap")
        .arg(QDateTime::fromMSecsSinceEpoch(timeUs / 1000, Qt::UTC).toString(QStringLiteral("yyyyMMdd-HHmmss")), slug);
}

void FlightRecorder::save(const QString& path, qint64 fromUs, qint64 toUs, const QString& reason)
{
    // copy the window out of the session now (fast); write it on a thread of its own
    const EventStore& store = m_session.store();
    std::vector<Frame> frames;
    std::vector<quint16> origins;
    for (quint32 i = store.first(); i != store.end(); ++i) {
        const EventRecord& r = store.at(i);
        if (r.receiveTimeUs < fromUs || r.receiveTimeUs > toUs)
            continue;
        const std::string_view raw = m_session.raw(i);
        frames.push_back({ r.origin(), r.receiveTimeUs, QByteArray(raw.data(), qsizetype(raw.size())) });
        if (std::find(origins.begin(), origins.end(), r.origin()) == origins.end())
            origins.push_back(r.origin());
    }
    QStringList names;
    for (quint16 o : origins)
        names << m_session.originName(o);
    QString note;
    if (m_session.evictedCount() > 0 && store.size() > 0 && store.at(store.first()).receiveTimeUs > fromUs)
        note = tr("the memory cap had already dropped the events before %1")
                   .arg(QDateTime::fromMSecsSinceEpoch(store.at(store.first()).receiveTimeUs / 1000, Qt::UTC)
                            .toString(Qt::ISODateWithMs));
    const quint64 count = frames.size();
    BackgroundJobs::run(
        this,
        [path, fromUs, frames = std::move(frames), origins = std::move(origins), names, reason]() {
            CaptureWriter out;
            bool ok = out.open(path, QUrl(), fromUs);
            for (std::size_t k = 0; ok && k < origins.size(); ++k)
                ok = out.writeOrigin(origins[k], QUrl(names[qsizetype(k)], QUrl::TolerantMode));
            const QByteArray why
                = QJsonDocument(QJsonObject { { QStringLiteral("kind"), QStringLiteral("comment") },
                                    { QStringLiteral("text"), QString(QStringLiteral("flight recorder: ") + reason) } })
                      .toJson(QJsonDocument::Compact);
            ok = ok && out.writeAnnotation(fromUs, why);
            for (const Frame& f : frames) {
                if (!ok)
                    break;
                ok = out.writeFrame(f.origin, f.timeUs, f.bytes);
            }
            out.close();
            return ok && out.errorString().isEmpty() ? QString() : out.errorString();
        },
        [this, path, count, note](const QString& error) {
            if (error.isEmpty())
                Q_EMIT saved(path, count, note);
            else
                Q_EMIT failed(error);
        });
}
