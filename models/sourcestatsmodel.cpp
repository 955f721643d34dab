// SPDX-License-Identifier: MIT
#include "sourcestatsmodel.h"

#include "session.h"
#include "textcolours.h"

#include <QColor>
#include <cstdlib>
#include <iterator>

namespace {
constexpr SessionTableModel::Header HeadersSourceStatsModel[] = {
    { QT_TRANSLATE_NOOP("SourceStatsModel", "Source"), nullptr, "notification-service" }, // SourceColumn
    { QT_TRANSLATE_NOOP("SourceStatsModel", "Events"), nullptr, "1,234,567" }, // EventsColumn
    { QT_TRANSLATE_NOOP("SourceStatsModel", "With receive time"), nullptr, "1,234,567" }, // TimedColumn
    { QT_TRANSLATE_NOOP("SourceStatsModel", "On bus, median"),
        QT_TRANSLATE_NOOP("SourceStatsModel", "Time on the bus: receive time minus the producer's timestamp"),
        "12,345.0 ms" }, // MedianColumn
    { QT_TRANSLATE_NOOP("SourceStatsModel", "On bus, p99"),
        QT_TRANSLATE_NOOP("SourceStatsModel", "Time on the bus: receive time minus the producer's timestamp"),
        "12,345.0 ms" }, // P99Column
};
} // namespace
static_assert(std::size(HeadersSourceStatsModel) == SourceStatsModel::ColumnCount);

SourceStatsModel::SourceStatsModel(const Session& session, QObject* parent)
    : SessionTableModel(session, HeadersSourceStatsModel, parent)
{ }

void SourceStatsModel::reset()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

void SourceStatsModel::refresh()
{
    const BusTimeTracker& times = m_session.busTimes();
    std::vector<bool> listed(times.sourceCount(), false);
    for (quint16 s : m_rows)
        if (s < listed.size())
            listed[s] = true;
    std::vector<quint16> added;
    for (std::size_t s = 0; s < times.sourceCount(); ++s)
        if (!listed[s] && times.events(quint16(s)) > 0)
            added.push_back(quint16(s));
    if (!m_rows.empty())
        Q_EMIT dataChanged(
            index(0, EventsColumn), index(int(m_rows.size()) - 1, ColumnCount - 1), { Qt::DisplayRole, SortRole });
    if (added.empty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    m_rows.insert(m_rows.end(), added.begin(), added.end());
    endInsertRows();
}

int SourceStatsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QString SourceStatsModel::durationText(qint64 us)
{
    const qint64 magnitude = std::abs(us);
    if (magnitude < 1000)
        return tr("%1 µs").arg(us);
    if (magnitude < 10000000)
        return tr("%1 ms").arg(double(us) / 1000.0, 0, 'f', magnitude < 100000 ? 1 : 0);
    if (magnitude < 3600LL * 1000000)
        return tr("%1 s").arg(double(us) / 1e6, 0, 'f', 1);
    return tr("%1 h").arg(double(us) / 3.6e9, 0, 'f', 1);
}

QVariant SourceStatsModel::value(quint16 source, int column) const
{
    const BusTimeTracker& times = m_session.busTimes();
    switch (column) {
    case SourceColumn:
        return m_session.sources().string(source);
    case EventsColumn:
        return qulonglong(times.events(source));
    case TimedColumn:
        return qulonglong(times.samples(source));
    case MedianColumn:
        return times.samples(source) ? QVariant(qlonglong(times.quantileUs(source, 0.5))) : QVariant();
    case P99Column:
        return times.samples(source) ? QVariant(qlonglong(times.quantileUs(source, 0.99))) : QVariant();
    default:
        return {};
    }
}

QVariant SourceStatsModel::unboundedData(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const quint16 source = m_rows[std::size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case SortRole:
        return value(source, column);
    case Qt::DisplayRole: {
        const QVariant v = value(source, column);
        if (column == MedianColumn || column == P99Column) // a dash: no receive time, no time on the bus
            return v.isValid() ? durationText(v.toLongLong()) : QStringLiteral("\u2014");
        if (column == SourceColumn && v.toString().isEmpty())
            return tr("(no source)");
        return v;
    }
    case Qt::ToolTipRole:
        if (column == MedianColumn || column == P99Column) {
            if (m_session.busTimes().samples(source) == 0)
                return tr("No receive times for this source's events (a file of producer times): no time on the bus");
            return tr("Receive time minus the producer's timestamp, over %L1 events; negative: the producer's "
                      "clock runs ahead of the receiver's")
                .arg(m_session.busTimes().samples(source));
        }
        return column == SourceColumn ? value(source, column) : QVariant();
    case Qt::ForegroundRole:
        // a producer clock ahead of the receiver's is a clock problem, not a fast bus
        if ((column == MedianColumn || column == P99Column) && value(source, column).toLongLong() < 0)
            return TextColours::warning();
        return {};
    case Qt::TextAlignmentRole:
        return column == SourceColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                      : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}
