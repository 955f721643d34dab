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
    m_quietsSeen = 0;
    m_deadLettersSeen = 0;
    m_deadLetterWindow = 0;
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

    if (m_rules.silentAfterSeconds > 0)
        checkSilence(nowUs, fresh);
    if (m_rules.deadLettersPer10s > 0)
        checkDeadLetters(fresh);

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
    std::stable_sort(fresh.begin(), fresh.end(), [](const Alert& a, const Alert& b) { return a.timeUs < b.timeUs; });
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

void AlertModel::checkSilence(qint64 nowUs, std::vector<Alert>& fresh)
{
    const qint64 afterUs = silentAfterUs();
    const RateTracker& rates = m_session.rates();
    m_silentSince.resize(m_session.types().size(), NoAlertYet);
    // the quiet spells that have ended, as the events came: said once they last long enough, and a
    // spell said while it lasted now says when it ended
    const auto& quiets = rates.quiets();
    for (quint64 id = std::max(m_quietsSeen, rates.firstQuiet()); id < rates.firstQuiet() + quiets.size(); ++id) {
        const RateTracker::Quiet& q = quiets[std::size_t(id - rates.firstQuiet())];
        if (q.toUs - q.fromUs < afterUs || q.rateBefore < m_rules.silentMinRate || q.type >= m_silentSince.size())
            continue;
        const Alert a = silence(q.type, q.fromUs, q.toUs, q.rateBefore);
        if (m_silentSince[q.type] != q.fromUs) {
            fresh.push_back(a);
        } else {
            // raised while it lasted: in this refresh's or in the rows
            auto same = [&a](const Alert& b) { return b.kind == a.kind && b.type == a.type && b.timeUs == a.timeUs; };
            const auto inFresh = std::find_if(fresh.rbegin(), fresh.rend(), same);
            if (inFresh != fresh.rend()) {
                *inFresh = a;
            } else if (const auto row = std::find_if(m_alerts.rbegin(), m_alerts.rend(), same);
                       row != m_alerts.rend()) {
                *row = a;
                const int r = int(std::distance(row, m_alerts.rend())) - 1;
                Q_EMIT dataChanged(index(r, TextColumn), index(r, TextColumn), { Qt::DisplayRole });
            }
        }
        m_silentSince[q.type] = q.fromUs;
    }
    m_quietsSeen = rates.firstQuiet() + quiets.size();

    // and those that last still at `nowUs`
    for (std::size_t t = 0; t < m_silentSince.size(); ++t) {
        const RateSeries* s = rates.type(quint16(t));
        if (!s || s->total() == 0 || m_silentSince[t] == s->lastSeenUs() || nowUs - s->lastSeenUs() < afterUs)
            continue;
        const double before = s->rate(s->lastSeenUs() / 1000000 + 1, 60);
        if (!RateTracker::isSteady(*s) || before < m_rules.silentMinRate)
            continue;
        m_silentSince[t] = s->lastSeenUs();
        fresh.push_back(silence(quint16(t), s->lastSeenUs(), NoAlertYet, before));
    }
}

Alert AlertModel::silence(quint16 type, qint64 fromUs, qint64 toUs, double rateBefore) const
{
    Alert a;
    a.timeUs = fromUs + silentAfterUs(); // when it was said live
    a.type = type;
    const QString name = Printable::forDisplay(m_session.types().view(type), 120);
    const QString since = Timestamp::clockText(fromUs);
    const QString rate = QString::number(rateBefore, 'f', 1);
    const bool recovered = isFailureType(m_session.types().view(type));
    a.kind = recovered ? Alert::TypeRecovered : Alert::TypeSilent;
    if (toUs == NoAlertYet) {
        a.text = recovered ? tr("%1 stopped: none since %2 (it averaged %3/s before): recovered").arg(name, since, rate)
                           : tr("%1 went silent: none since %2 (it averaged %3/s before)").arg(name, since, rate);
    } else {
        const QString length = QString::number((toUs - fromUs) / 1000000);
        const QString until = Timestamp::clockText(toUs);
        a.text = recovered
            ? tr("%1 stopped: none for %2 s, from %3 to %4 (it averaged %5/s before): recovered for that time")
                  .arg(name, length, since, until, rate)
            : tr("%1 went silent: none for %2 s, from %3 to %4 (it averaged %5/s before)")
                  .arg(name, length, since, until, rate);
    }
    return a;
}

void AlertModel::checkDeadLetters(std::vector<Alert>& fresh)
{
    // each dead letter as it came, with those of the 10 s up to it: a window that slides over the log
    constexpr qint64 WindowUs = 10 * qint64(1000000), QuietUs = 60 * qint64(1000000);
    const RetryTracker& retries = m_session.retries();
    const auto& log = retries.deadLetters();
    const quint64 first = retries.firstDeadLetter(), end = first + log.size();
    m_deadLetterWindow = std::max(m_deadLetterWindow, first);
    for (quint64 id = std::max(m_deadLettersSeen, first); id < end; ++id) {
        const RetryTracker::DeadLetterAt& d = log[std::size_t(id - first)];
        while (m_deadLetterWindow < id && log[std::size_t(m_deadLetterWindow - first)].timeUs <= d.timeUs - WindowUs)
            ++m_deadLetterWindow;
        const quint64 recent = id - m_deadLetterWindow + 1;
        if (recent < quint64(m_rules.deadLettersPer10s)
            || (m_lastDeadLetterAlertUs != NoAlertYet && d.timeUs - m_lastDeadLetterAlertUs <= QuietUs))
            continue;
        m_lastDeadLetterAlertUs = d.timeUs;
        Alert a;
        a.kind = Alert::DeadLettersRising;
        a.timeUs = d.timeUs;
        a.event = d.event;
        a.text = recent == 1 ? tr("1 dead letter within 10 s") : tr("%L1 dead letters within 10 s").arg(recent);
        fresh.push_back(a);
    }
    m_deadLettersSeen = end;
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
    rules.silentAfterSeconds = s.value(QStringLiteral("alerts/silentAfterSeconds"), rules.silentAfterSeconds).toInt();
    if (rules.silentAfterSeconds != 0) // off, or at least the shortest quiet spell noted
        rules.silentAfterSeconds = std::clamp(rules.silentAfterSeconds, int(RateTracker::MinQuietUs / 1000000), 3600);
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
