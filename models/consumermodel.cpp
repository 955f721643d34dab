// SPDX-License-Identifier: MIT
#include "consumermodel.h"

#include "session.h"
#include "timestamp.h"

#include <QLocale>
#include <iterator>

namespace {
constexpr SessionTableModel::Header Headers[] = {
    { QT_TRANSLATE_NOOP("ConsumerModel", "Stream"), nullptr, "EVENTS" }, // StreamColumn
    { QT_TRANSLATE_NOOP("ConsumerModel", "Consumer"),
        QT_TRANSLATE_NOOP("ConsumerModel", "A durable consumer of the stream: usually one service"),
        "notification-email" }, // ConsumerColumn
    { QT_TRANSLATE_NOOP("ConsumerModel", "Lag"),
        QT_TRANSLATE_NOOP("ConsumerModel", "How long the oldest message it has not acknowledged has waited"),
        "12 min 30 s" }, // LagColumn
    { QT_TRANSLATE_NOOP("ConsumerModel", "Pending"),
        QT_TRANSLATE_NOOP("ConsumerModel", "Messages of the stream not yet delivered to it"), "1,000,000" },
    { QT_TRANSLATE_NOOP("ConsumerModel", "Ack pending"),
        QT_TRANSLATE_NOOP("ConsumerModel", "Delivered, not yet acknowledged"), "1,000,000" }, // AckPendingColumn
    { QT_TRANSLATE_NOOP("ConsumerModel", "Redelivered"),
        QT_TRANSLATE_NOOP("ConsumerModel", "Delivered again because no acknowledgement came in time"),
        "1,000,000" }, // RedeliveredColumn
    { QT_TRANSLATE_NOOP("ConsumerModel", "Delivered"),
        QT_TRANSLATE_NOOP("ConsumerModel", "The stream sequence last delivered to it"), "1,000,000" },
    { QT_TRANSLATE_NOOP("ConsumerModel", "Ack floor"),
        QT_TRANSLATE_NOOP("ConsumerModel", "The stream sequence up to which it has acknowledged everything"),
        "1,000,000" }, // AckFloorColumn
    { QT_TRANSLATE_NOOP("ConsumerModel", "Waiting"),
        QT_TRANSLATE_NOOP("ConsumerModel", "Its pull requests waiting for messages"), "1,000" }, // WaitingColumn
    { QT_TRANSLATE_NOOP("ConsumerModel", "Updated (UTC)"), nullptr, "00:00:00.000" }, // UpdatedColumn
};
static_assert(std::size(Headers) == ConsumerModel::ColumnCount);

QString text(const std::string& s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
} // namespace

ConsumerModel::ConsumerModel(const Session& session, QObject* parent)
    : SessionTableModel(session, Headers, parent)
{ }

ConsumerModel::~ConsumerModel() = default;

QString ConsumerModel::lagText(qint64 lagUs)
{
    if (lagUs < 0)
        return QStringLiteral("-");
    const double s = double(lagUs) / 1e6;
    if (s < 60)
        return tr("%1 s").arg(QLocale().toString(s, 'f', 1));
    const qint64 whole = lagUs / 1000000;
    if (whole < 3600)
        return tr("%1 min %2 s").arg(whole / 60).arg(whole % 60);
    return tr("%1 h %2 min").arg(whole / 3600).arg((whole % 3600) / 60);
}

void ConsumerModel::reset()
{
    beginResetModel();
    m_rows = 0;
    endResetModel();
}

void ConsumerModel::refresh()
{
    const int count = int(m_session.consumers().consumers().size());
    if (count < m_rows) {
        reset();
    }
    if (m_rows > 0)
        Q_EMIT dataChanged(index(0, LagColumn), index(m_rows - 1, ColumnCount - 1), { Qt::DisplayRole, SortRole });
    if (count > m_rows) {
        beginInsertRows({}, m_rows, count - 1);
        m_rows = count;
        endInsertRows();
    }
}

int ConsumerModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_rows; }

QVariant ConsumerModel::unboundedData(const QModelIndex& index, int role) const
{
    const auto& consumers = m_session.consumers().consumers();
    if (!index.isValid() || index.row() >= m_rows || std::size_t(index.row()) >= consumers.size())
        return {};
    const ConsumerSample& c = consumers[std::size_t(index.row())].last;
    if (role == ConsumerRole)
        return index.row();
    if (role == Qt::TextAlignmentRole)
        return index.column() >= LagColumn && index.column() != UpdatedColumn
            ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
            : QVariant();
    const auto count = [&](quint64 n) -> QVariant {
        if (role == SortRole)
            return double(n);
        if (role == Qt::DisplayRole)
            return QLocale().toString(n);
        return {};
    };
    switch (index.column()) {
    case StreamColumn:
        if (role == Qt::DisplayRole || role == SortRole)
            return text(c.stream);
        break;
    case ConsumerColumn:
        if (role == Qt::DisplayRole || role == SortRole)
            return text(c.name);
        break;
    case LagColumn:
        if (role == SortRole)
            return double(c.lagUs);
        if (role == Qt::DisplayRole)
            return lagText(c.lagUs);
        break;
    case PendingColumn:
        return count(c.pending);
    case AckPendingColumn:
        return count(c.ackPending);
    case RedeliveredColumn:
        return count(c.redelivered);
    case DeliveredColumn:
        return count(c.deliveredSeq);
    case AckFloorColumn:
        return count(c.ackFloorSeq);
    case WaitingColumn:
        return count(c.waiting);
    case UpdatedColumn:
        if (role == SortRole)
            return double(c.timeUs);
        if (role == Qt::DisplayRole) // a replay before its first sample: none yet
            return c.timeUs > 0 ? Timestamp::clockText(c.timeUs) : QStringLiteral("-");
        break;
    default:
        break;
    }
    return {};
}
