// SPDX-License-Identifier: MIT
#include "typestatsmodel.h"

#include "alertmodel.h"
#include "session.h"

#include <QBrush>
#include <QColor>
#include <climits>
#include <iterator>

namespace {
constexpr SessionTableModel::Header HeadersTypeStatsModel[] = {
    { QT_TRANSLATE_NOOP("TypeStatsModel", "Type"), nullptr, "system.event.retry_scheduled" }, // TypeColumn
    { QT_TRANSLATE_NOOP("TypeStatsModel", "Domain"), nullptr, "notification" }, // DomainColumn
    { QT_TRANSLATE_NOOP("TypeStatsModel", "Last 2 min") }, // TrendColumn
    { QT_TRANSLATE_NOOP("TypeStatsModel", "Count"), nullptr, "1,234,567" }, // CountColumn
    { QT_TRANSLATE_NOOP("TypeStatsModel", "Rate/s"), nullptr, "12,345.0" }, // RateColumn
    { QT_TRANSLATE_NOOP("TypeStatsModel", "10 s avg/s"), nullptr, "12,345.0" }, // Rate10Column
    { QT_TRANSLATE_NOOP("TypeStatsModel", "60 s avg/s"), nullptr, "12,345.0" }, // Rate60Column
    { QT_TRANSLATE_NOOP("TypeStatsModel", "Retries"), nullptr, "123,456" }, // RetriesColumn
    { QT_TRANSLATE_NOOP("TypeStatsModel", "Failures"), nullptr, "123,456" }, // FailuresColumn
    { QT_TRANSLATE_NOOP("TypeStatsModel", "Dead letters"), nullptr, "123,456" }, // DeadLettersColumn
    { QT_TRANSLATE_NOOP("TypeStatsModel", "Failed %"), nullptr, "100.0" }, // FailedPercentColumn
    { QT_TRANSLATE_NOOP("TypeStatsModel", "Dead-lettered %"), nullptr, "100.0" }, // DeadLetteredPercentColumn
    { QT_TRANSLATE_NOOP("TypeStatsModel", "Schema %"),
        QT_TRANSLATE_NOOP(
            "TypeStatsModel", "Checked events whose payload broke the type's schema (File > Load schemas)"),
        "100.0" }, // SchemaPercentColumn
    { QT_TRANSLATE_NOOP("TypeStatsModel", "Last seen"), nullptr, "SILENT 9999 s" }, // LastSeenColumn
};
} // namespace
static_assert(std::size(HeadersTypeStatsModel) == TypeStatsModel::ColumnCount);

TypeStatsModel::TypeStatsModel(const Session& session, QObject* parent)
    : SessionTableModel(session, HeadersTypeStatsModel, parent)
{ }

TypeStatsModel::~TypeStatsModel() = default;

void TypeStatsModel::refresh(qint64 nowUs)
{
    m_nowUs = nowUs;
    std::vector<quint16> added;
    const std::size_t known = m_types.size();
    m_shown.resize(m_session.types().size(), false);
    for (std::size_t t = 0; t < m_session.types().size(); ++t) {
        if (m_shown[t])
            continue;
        const RateSeries* s = m_session.rates().type(quint16(t));
        if (s && s->total() > 0) {
            added.push_back(quint16(t));
            m_shown[t] = true;
        }
    }
    if (known > 0)
        Q_EMIT dataChanged(index(0, 0), index(int(known) - 1, ColumnCount - 1),
            { Qt::DisplayRole, SortRole, SparklineRole, SilentRole, ProblemsRole, ErrorLevelRole, Qt::BackgroundRole,
                Qt::ForegroundRole });
    if (!added.empty()) {
        beginInsertRows({}, int(known), int(known + added.size()) - 1);
        m_types.insert(m_types.end(), added.begin(), added.end());
        endInsertRows();
    }
}

void TypeStatsModel::reset()
{
    beginResetModel();
    m_types.clear();
    m_shown.clear();
    endResetModel();
}

quint64 TypeStatsModel::problems(quint16 type) const
{
    // what "errors" means on the board: failed handlings and dead letters (retries are a warning)
    return m_session.retries().countForType(RetryTracker::Failure, type)
        + m_session.retries().countForType(RetryTracker::DeadLetter, type);
}

bool TypeStatsModel::isSilent(quint16 type) const
{
    // the alerts' rule: only a steady type goes silent, and a failure type that stops has recovered
    const RateSeries* s = m_session.rates().type(type);
    if (!s || m_nowUs - s->lastSeenUs() < 10 * qint64(1000000) || !RateTracker::isSteady(*s)
        || AlertModel::isFailureType(m_session.types().view(type)))
        return false;
    return s->rate(s->lastSeenUs() / 1000000 + 1, 60) >= 0.2;
}

double TypeStatsModel::sharePercent(quint64 part, quint64 total)
{
    return total == 0 ? 0.0 : 100.0 * double(std::min(part, total)) / double(total);
}

double TypeStatsModel::failedPercent(quint16 type) const
{
    return sharePercent(m_session.retries().failedEventsForType(type), m_session.rates().type(type)->total());
}

double TypeStatsModel::deadLetteredPercent(quint16 type) const
{
    return sharePercent(
        m_session.retries().eventsForType(RetryTracker::DeadLetter, type), m_session.rates().type(type)->total());
}

int TypeStatsModel::errorLevel(double percent)
{
    return percent >= 50 ? 4 : percent >= 40 ? 3 : percent >= 25 ? 2 : percent >= 10 ? 1 : 0;
}

int TypeStatsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_types.size()); }

QVariant TypeStatsModel::value(int row, int column) const
{
    const quint16 type = m_types[std::size_t(row)];
    const RateSeries* s = m_session.rates().type(type);
    const qint64 nowSecond = m_nowUs / 1000000;
    const qint64 watchedFrom = m_session.rates().all().firstSecond(); // the means count every watched second
    switch (column) {
    case TypeColumn:
        return m_session.types().string(type);
    case DomainColumn:
        return m_session.rates().domains().string(m_session.rates().domainOf(type));
    case TrendColumn:
        return s->rate(nowSecond, SparklineSeconds, watchedFrom);
    case CountColumn:
        return qulonglong(s->total());
    case RateColumn:
        return s->rate(nowSecond, 1, watchedFrom);
    case Rate10Column:
        return s->rate(nowSecond, 10, watchedFrom);
    case Rate60Column:
        return s->rate(nowSecond, 60, watchedFrom);
    case RetriesColumn:
        return qulonglong(m_session.retries().countForType(RetryTracker::Retry, type));
    case DeadLettersColumn:
        return qulonglong(m_session.retries().countForType(RetryTracker::DeadLetter, type));
    case FailuresColumn:
        return qulonglong(m_session.retries().countForType(RetryTracker::Failure, type));
    case FailedPercentColumn:
        return failedPercent(type);
    case DeadLetteredPercentColumn:
        return deadLetteredPercent(type);
    case SchemaPercentColumn: {
        const auto& schemas = m_session.schemas().types();
        if (type >= schemas.size() || schemas[type].checked == 0)
            return -1.0; // not checked: sorts below every share
        return sharePercent(schemas[type].violating, schemas[type].checked);
    }
    case LastSeenColumn:
        return double(m_nowUs - s->lastSeenUs()) / 1e6;
    }
    return {};
}

QVariant TypeStatsModel::unboundedData(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role == SortRole)
        return value(index.row(), index.column());
    const quint16 type = m_types[std::size_t(index.row())];
    if (role == TypeIdRole)
        return type;
    if (role == SparklineRole) {
        const RateSeries* s = m_session.rates().type(type);
        QList<int> counts(SparklineSeconds, 0);
        const qint64 now = m_nowUs / 1000000;
        for (int i = 0; i < SparklineSeconds; ++i)
            counts[i] = int(std::min<quint32>(s->countAt(now - SparklineSeconds + i), INT_MAX));
        return QVariant::fromValue(counts);
    }
    if (role == SilentRole)
        return isSilent(type);
    if (role == ProblemsRole)
        return qulonglong(problems(type));
    if (role == ErrorLevelRole)
        return errorLevel(failedPercent(type));
    if (index.column() == FailedPercentColumn && (role == Qt::BackgroundRole || role == Qt::ForegroundRole)) {
        // Hystrix's scale, yellow to red; the text dark on every one of them, in light and dark palettes
        static const QColor scale[] = { {}, QColor(0xff, 0xf1, 0x76), QColor(0xff, 0xcc, 0x80),
            QColor(0xff, 0x8a, 0x65), QColor(0xef, 0x53, 0x50) };
        const int level = errorLevel(failedPercent(type));
        if (level == 0)
            return {};
        return role == Qt::BackgroundRole ? QBrush(scale[level]) : QBrush(Qt::black);
    }
    if (role == Qt::BackgroundRole && index.column() == LastSeenColumn && isSilent(type))
        return QBrush(QColor(0xff, 0xb7, 0x4d)); // a silent type stands out (the text says it too)
    if (role == Qt::ForegroundRole && index.column() == LastSeenColumn && isSilent(type))
        return QBrush(Qt::black); // readable on the orange in light and dark palettes
    if (role == Qt::ToolTipRole && index.column() == FailedPercentColumn)
        return tr("%L1 of %L2 events failed at least once (%L3 failure, %L4 retry and %L5 dead-letter reports)")
            .arg(m_session.retries().failedEventsForType(type))
            .arg(m_session.rates().type(type)->total())
            .arg(m_session.retries().countForType(RetryTracker::Failure, type))
            .arg(m_session.retries().countForType(RetryTracker::Retry, type))
            .arg(m_session.retries().countForType(RetryTracker::DeadLetter, type));
    if (role == Qt::ToolTipRole && index.column() == DeadLetteredPercentColumn)
        return tr("%L1 of %L2 events were dead-lettered")
            .arg(m_session.retries().eventsForType(RetryTracker::DeadLetter, type))
            .arg(m_session.rates().type(type)->total());
    if (index.column() == SchemaPercentColumn && role != Qt::DisplayRole && role != Qt::TextAlignmentRole) {
        const auto& schemas = m_session.schemas().types();
        const bool checked = type < schemas.size() && schemas[type].checked > 0;
        const bool violating = checked && schemas[type].violating > 0;
        if (role == Qt::ToolTipRole)
            return checked ? tr("%L1 of %L2 checked payloads broke the schema")
                                 .arg(schemas[type].violating)
                                 .arg(schemas[type].checked)
                           : tr("Not checked: no schema for this type");
        if (role == Qt::BackgroundRole && violating)
            return QBrush(QColor(0xff, 0xcc, 0x80)); // the text says it too
        if (role == Qt::ForegroundRole && violating)
            return QBrush(Qt::black);
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == TrendColumn)
        return tr("Events per second over the last 2 minutes (average %1/s)")
            .arg(value(index.row(), TrendColumn).toDouble(), 0, 'f', 1);
    if (role == Qt::TextAlignmentRole)
        return index.column() <= DomainColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                              : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    const QVariant v = value(index.row(), index.column());
    switch (index.column()) {
    case RateColumn:
    case Rate10Column:
    case Rate60Column:
        return QString::number(v.toDouble(), 'f', 1);
    case FailedPercentColumn:
    case DeadLetteredPercentColumn:
        return QString::number(v.toDouble(), 'f', 1);
    case SchemaPercentColumn:
        return v.toDouble() < 0 ? QString() : QString::number(v.toDouble(), 'f', 1);
    case TrendColumn:
        return QString(); // drawn by the view as a sparkline
    case LastSeenColumn:
        return isSilent(m_types[std::size_t(index.row())])
            ? tr("SILENT %1 s").arg(std::max(0.0, v.toDouble()), 0, 'f', 0)
            : tr("%1 s ago").arg(std::max(0.0, v.toDouble()), 0, 'f', 1);
    default:
        return v;
    }
}
