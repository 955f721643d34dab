// SPDX-License-Identifier: MIT
#include "alertmodel.h"

#include "consumermodel.h"
#include "printable.h"
#include "rateseries.h"
#include "schemamodel.h"
#include "session.h"
#include "timestamp.h"

#include <QSettings>
#include <iterator>

namespace {
constexpr SessionTableModel::Header HeadersAlertModel[] = {
    { QT_TRANSLATE_NOOP("AlertModel", "Time (UTC)"), nullptr, "00:00:00.000" }, // TimeColumn
    { QT_TRANSLATE_NOOP("AlertModel", "Alert"), nullptr, "Dead letters rising" }, // KindColumn
    { QT_TRANSLATE_NOOP("AlertModel", "What") }, // TextColumn
};
} // namespace
static_assert(std::size(HeadersAlertModel) == AlertModel::ColumnCount);

AlertModel::AlertModel(const Session& session, QObject* parent)
    : SessionTableModel(session, HeadersAlertModel, parent)
{ }

AlertModel::~AlertModel() = default;

void AlertModel::reset()
{
    beginResetModel();
    m_alerts.clear();
    m_seenTransitions.clear();
    m_silentSince.clear();
    m_schemaAlerted.clear();
    m_shapeChangesAlerted.clear();
    m_lagAlerted.clear();
    m_redeliveryAlerted.clear();
    m_lastDeadLetterAlertUs = NoAlertYet;
    endResetModel();
}

void AlertModel::refresh(qint64 nowUs)
{
    std::vector<Alert> fresh;
    const BreakerTracker& breakers = m_session.breakers();
    m_seenTransitions.resize(breakers.size(), 0);
    for (std::size_t i = 0; i < breakers.size(); ++i) {
        const Breaker& b = breakers.at(i);
        const quint64 news = b.transitionCount - m_seenTransitions[i];
        m_seenTransitions[i] = b.transitionCount;
        if (!m_rules.breakerOpened || b.merged) // each origin's breaker raises its own
            continue;
        const std::size_t from = b.history.size() - std::min<std::size_t>(b.history.size(), news);
        for (std::size_t h = from; h < b.history.size(); ++h) {
            const BreakerTransition& t = b.history[h];
            if (t.to != BreakerTransition::Open)
                continue;
            Alert a;
            a.kind = Alert::BreakerOpened;
            a.timeUs = t.timeUs;
            a.breaker = int(i);
            a.event = t.event;
            a.text = tr("Breaker %1 opened%2")
                         .arg(Printable::forDisplay(m_session.breakerLabel(i), 120),
                             t.reason.empty()
                                 ? QString()
                                 : QStringLiteral(": ") + Printable::forDisplay(std::string_view(t.reason), 160));
            fresh.push_back(a);
        }
    }

    if (m_rules.silentAfterSeconds > 0) {
        const StringPool& types = m_session.types();
        m_silentSince.resize(types.size(), std::numeric_limits<qint64>::min());
        for (std::size_t t = 0; t < types.size(); ++t) {
            const RateSeries* s = m_session.rates().type(quint16(t));
            if (!s || s->total() == 0 || m_silentSince[t] == s->lastSeenUs())
                continue;
            const qint64 quietUs = nowUs - s->lastSeenUs();
            if (quietUs < qint64(m_rules.silentAfterSeconds) * 1000000)
                continue;
            // steady, and busy before it went quiet: the minute up to its last second
            const qint64 lastSecond = s->lastSeenUs() / 1000000 + 1;
            if (!wasSteady(*s) || s->rate(lastSecond, 60) < m_rules.silentMinRate)
                continue;
            m_silentSince[t] = s->lastSeenUs();
            Alert a;
            a.timeUs = nowUs;
            a.type = int(t);
            if (isFailureType(types.view(quint16(t)))) {
                a.kind = Alert::TypeRecovered;
                a.text = tr("%1 stopped: none for %2 s (it averaged %3/s before): recovered")
                             .arg(Printable::forDisplay(types.view(quint16(t)), 120))
                             .arg(quietUs / 1000000)
                             .arg(s->rate(lastSecond, 60), 0, 'f', 1);
            } else {
                a.kind = Alert::TypeSilent;
                a.text = tr("%1 went silent: none for %2 s (it averaged %3/s before)")
                             .arg(Printable::forDisplay(types.view(quint16(t)), 120))
                             .arg(quietUs / 1000000)
                             .arg(s->rate(lastSecond, 60), 0, 'f', 1);
            }
            fresh.push_back(a);
        }
    }

    if (m_rules.deadLettersPer10s > 0
        && (m_lastDeadLetterAlertUs == NoAlertYet || nowUs - m_lastDeadLetterAlertUs > 60 * qint64(1000000))) {
        const RateSeries& dl = m_session.problemRate(RetryTracker::DeadLetter);
        const qint64 nowSecond = nowUs / 1000000;
        quint64 recent = 0;
        for (qint64 s = nowSecond - 9; s <= nowSecond; ++s)
            recent += dl.countAt(s);
        if (recent >= quint64(m_rules.deadLettersPer10s)) {
            m_lastDeadLetterAlertUs = nowUs;
            Alert a;
            a.kind = Alert::DeadLettersRising;
            a.timeUs = nowUs;
            const auto& entries = m_session.retries().entries();
            for (auto it = entries.rbegin(); it != entries.rend(); ++it)
                if (it->kind == RetryTracker::DeadLetter) {
                    a.event = it->event;
                    break;
                }
            a.text = tr("%n dead letter(s) in the last 10 s", nullptr, int(recent));
            fresh.push_back(a);
        }
    }

    if (m_rules.schemaViolated) {
        const auto& schemas = m_session.schemas().types();
        m_schemaAlerted.resize(schemas.size(), 0);
        for (std::size_t t = 0; t < schemas.size(); ++t) {
            const SchemaTracker::Type& s = schemas[t];
            if (m_schemaAlerted[t] || s.violating == 0 || s.groups.empty())
                continue;
            m_schemaAlerted[t] = 1;
            Alert a;
            a.kind = Alert::SchemaViolated;
            a.timeUs = s.firstUs;
            a.type = int(t);
            a.event = s.groups.front().example;
            QString source;
            if (!s.sources.empty())
                source
                    = tr(" from %1").arg(Printable::forDisplay(m_session.sources().view(s.sources.front().first), 80));
            a.text = tr("%1 breaks its schema%2: %3")
                         .arg(Printable::forDisplay(m_session.types().view(quint16(t)), 120), source,
                             Printable::forDisplay(std::string_view(s.groups.front().key), 160));
            fresh.push_back(a);
        }
    }

    if (m_rules.schemaViolated) {
        // the changes one event showed are one alert: a release changes several fields at once
        const auto& shapes = m_session.shapes().types();
        m_shapeChangesAlerted.resize(shapes.size(), 0);
        for (std::size_t t = 0; t < shapes.size(); ++t) {
            const auto& changes = shapes[t].changes;
            const std::size_t shown = m_session.shapes().changesShown(quint16(t));
            std::size_t c = m_shapeChangesAlerted[t];
            while (c < shown) {
                Alert a;
                a.kind = Alert::ShapeChanged;
                a.timeUs = changes[c].timeUs;
                a.type = int(t);
                a.event = changes[c].event;
                QStringList what;
                const quint16 source = changes[c].source;
                for (; c < shown && changes[c].event == a.event; ++c)
                    what << ShapeChangeModel::describe(m_session, quint16(t), c);
                a.text = tr("%1 changed shape: %2 (from %3)")
                             .arg(Printable::forDisplay(m_session.types().view(quint16(t)), 120),
                                 Printable::forDisplay(what.join(QLatin1String(", ")), 240),
                                 Printable::forDisplay(m_session.sources().view(source), 80));
                fresh.push_back(a);
            }
            m_shapeChangesAlerted[t] = c;
        }
    }

    checkConsumers(fresh);

    if (fresh.empty())
        return;
    std::sort(fresh.begin(), fresh.end(), [](const Alert& a, const Alert& b) { return a.timeUs < b.timeUs; });
    if (fresh.size() > std::size_t(MaxAlerts))
        fresh.erase(fresh.begin(), fresh.end() - MaxAlerts);
    const std::size_t overflow = m_alerts.size() + fresh.size() > std::size_t(MaxAlerts)
        ? m_alerts.size() + fresh.size() - std::size_t(MaxAlerts)
        : 0;
    if (overflow > 0) {
        beginRemoveRows({}, 0, int(overflow) - 1);
        m_alerts.erase(m_alerts.begin(), m_alerts.begin() + qsizetype(overflow));
        endRemoveRows();
    }
    const int first = int(m_alerts.size());
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    m_alerts.insert(m_alerts.end(), fresh.begin(), fresh.end());
    endInsertRows();
    Q_EMIT raised(int(fresh.size()));
}

void AlertModel::checkConsumers(std::vector<Alert>& fresh)
{
    const auto& consumers = m_session.consumers().consumers();
    m_lagAlerted.resize(consumers.size(), NoAlertYet);
    m_redeliveryAlerted.resize(consumers.size(), NoAlertYet);
    for (std::size_t i = 0; i < consumers.size(); ++i) {
        const ConsumerTracker::Consumer& c = consumers[i];
        if (c.history.empty())
            continue;
        const ConsumerTracker::Point& last = c.history.back();
        const QString name = Printable::forDisplay(std::string_view(c.last.name), 80);
        const QString stream = Printable::forDisplay(std::string_view(c.last.stream), 80);
        if (m_rules.consumerLagSeconds > 0) {
            // its lag grew at every sample over the window, and the samples cover it
            const qint64 windowUs = qint64(m_rules.consumerLagSeconds) * 1000000;
            bool growing = last.lagUs > 0;
            qint64 coveredFrom = last.timeUs;
            qint64 firstLag = last.lagUs;
            for (auto it = c.history.rbegin(); growing && it != c.history.rend(); ++it) {
                const auto before = std::next(it);
                if (before == c.history.rend() || it->timeUs - before->timeUs > 10000000)
                    break; // the samples stop (or have a hole): the window is not covered
                if (before->lagUs < 0 || before->lagUs > it->lagUs)
                    growing = false;
                coveredFrom = before->timeUs;
                firstLag = before->lagUs;
                if (last.timeUs - coveredFrom >= windowUs)
                    break;
            }
            const bool covered = last.timeUs - coveredFrom >= windowUs;
            if (growing && covered && last.lagUs > firstLag && m_lagAlerted[i] == NoAlertYet) {
                m_lagAlerted[i] = last.timeUs;
                Alert a;
                a.kind = Alert::ConsumerLagging;
                a.timeUs = last.timeUs;
                a.consumer = int(i);
                a.text = tr("Consumer %1 of %2 is falling behind: its lag grew from %3 to %4 in %5 s (%L6 pending, "
                            "%L7 awaiting acknowledgement)")
                             .arg(name, stream, ConsumerModel::lagText(firstLag), ConsumerModel::lagText(last.lagUs))
                             .arg(m_rules.consumerLagSeconds)
                             .arg(last.pending)
                             .arg(last.ackPending);
                fresh.push_back(a);
            } else if (m_lagAlerted[i] != NoAlertYet && c.history.size() >= 2
                && last.lagUs < c.history[c.history.size() - 2].lagUs) {
                m_lagAlerted[i] = NoAlertYet; // it catches up: the next episode is told again
            }
        }
        if (m_rules.redeliveriesPer10s > 0
            && (m_redeliveryAlerted[i] == NoAlertYet || last.timeUs - m_redeliveryAlerted[i] >= 60000000)) {
            // the fewest redelivered in the last 10 s against now
            quint64 least = last.redelivered;
            for (auto it = c.history.rbegin(); it != c.history.rend() && last.timeUs - it->timeUs <= 10000000; ++it)
                least = std::min(least, it->redelivered);
            if (last.redelivered - least >= quint64(m_rules.redeliveriesPer10s)) {
                m_redeliveryAlerted[i] = last.timeUs;
                Alert a;
                a.kind = Alert::RedeliveriesRising;
                a.timeUs = last.timeUs;
                a.consumer = int(i);
                a.text = tr("Consumer %1 of %2: %L3 messages delivered again within 10 s (%L4 redelivered now): "
                            "acknowledgements are not coming in time")
                             .arg(name, stream)
                             .arg(last.redelivered - least)
                             .arg(last.redelivered);
                fresh.push_back(a);
            }
        }
    }
}

bool AlertModel::isFailureType(std::string_view type)
{
    auto endsWith = [type](std::string_view tail) {
        return type.size() >= tail.size() && type.compare(type.size() - tail.size(), tail.size(), tail) == 0;
    };
    return type == "system.handler.failed" || type == "system.event.retry_scheduled"
        || type == "system.event.dead_lettered" || endsWith(".error") || endsWith(".failed") || type == "error";
}

bool AlertModel::wasSteady(const RateSeries& series)
{
    return series.total() >= SteadyEvents && series.lastSeenUs() / 1000000 - series.firstSecond() >= SteadySeconds;
}

int AlertModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_alerts.size()); }

QVariant AlertModel::unboundedData(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Alert& a = m_alerts[std::size_t(index.row())];
    if (role == KindRole)
        return int(a.kind);
    if (role == AlertRole)
        return index.row();
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case TimeColumn:
        return Timestamp::clockText(a.timeUs);
    case KindColumn:
        switch (a.kind) {
        case Alert::BreakerOpened:
            return tr("Breaker opened");
        case Alert::TypeSilent:
            return tr("Type silent");
        case Alert::TypeRecovered:
            return tr("Recovered");
        case Alert::DeadLettersRising:
            return tr("Dead letters");
        case Alert::SchemaViolated:
            return tr("Schema broken");
        case Alert::ShapeChanged:
            return tr("Shape changed");
        case Alert::ConsumerLagging:
            return tr("Consumer behind");
        case Alert::RedeliveriesRising:
            return tr("Redeliveries");
        }
        return {};
    case TextColumn:
        return a.text;
    }
    return {};
}

AlertRules AlertRules::load(const QSettings& s)
{
    AlertRules rules;
    rules.breakerOpened = s.value(QStringLiteral("alerts/breakerOpened"), rules.breakerOpened).toBool();
    rules.silentAfterSeconds
        = std::clamp(s.value(QStringLiteral("alerts/silentAfterSeconds"), rules.silentAfterSeconds).toInt(), 0, 3600);
    rules.silentMinRate
        = std::clamp(s.value(QStringLiteral("alerts/silentMinRate"), rules.silentMinRate).toDouble(), 0.01, 100000.0);
    rules.deadLettersPer10s
        = std::clamp(s.value(QStringLiteral("alerts/deadLettersPer10s"), rules.deadLettersPer10s).toInt(), 0, 1000000);
    rules.schemaViolated = s.value(QStringLiteral("alerts/schemaViolated"), rules.schemaViolated).toBool();
    rules.consumerLagSeconds
        = std::clamp(s.value(QStringLiteral("alerts/consumerLagSeconds"), rules.consumerLagSeconds).toInt(), 0, 86400);
    rules.redeliveriesPer10s = std::clamp(
        s.value(QStringLiteral("alerts/redeliveriesPer10s"), rules.redeliveriesPer10s).toInt(), 0, 1000000000);
    return rules;
}

void AlertRules::save(QSettings& s) const
{
    s.setValue(QStringLiteral("alerts/breakerOpened"), breakerOpened);
    s.setValue(QStringLiteral("alerts/schemaViolated"), schemaViolated);
    s.setValue(QStringLiteral("alerts/consumerLagSeconds"), consumerLagSeconds);
    s.setValue(QStringLiteral("alerts/redeliveriesPer10s"), redeliveriesPer10s);
    s.setValue(QStringLiteral("alerts/silentAfterSeconds"), silentAfterSeconds);
    s.setValue(QStringLiteral("alerts/silentMinRate"), silentMinRate);
    s.setValue(QStringLiteral("alerts/deadLettersPer10s"), deadLettersPer10s);
}
