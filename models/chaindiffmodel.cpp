// SPDX-License-Identifier: MIT
#include "chaindiffmodel.h"

#include "chainreport.h"
#include "session.h"

#include <QBrush>
#include <QColor>

namespace {
/// Indentation stops growing at this depth; deeper steps say their depth instead.
constexpr int MaxIndentDepth = 16;

QString seconds(qint64 us) { return QStringLiteral("%1 s").arg(double(us) / 1e6, 0, 'f', 3); }
} // namespace

ChainDiffModel::ChainDiffModel(QObject* parent)
    : BoundedText<QAbstractTableModel>(parent)
{ }

ChainDiffModel::~ChainDiffModel() = default;

void ChainDiffModel::setDiff(const Session& session, const ChainDiff& diff)
{
    beginResetModel();
    m_diff = diff;
    m_lines.clear();
    m_lines.reserve(diff.rows().size());
    const auto side = [&session](const ChainDiff::Step* step, int depth) {
        Side out;
        if (!step)
            return out;
        const QString indent = depth <= MaxIndentDepth
            ? QString(depth * 2, u' ')
            : QString(MaxIndentDepth * 2, u' ') + QStringLiteral("[depth %1] ").arg(depth);
        out.type = indent + Printable::forDisplay(session.types().string(step->type), 200);
        out.id = ChainReport::eventId(session, step->event);
        out.at = QStringLiteral("+") + seconds(step->offsetUs);
        if (step->hopUs >= 0)
            out.hop = seconds(step->hopUs);
        return out;
    };
    for (const ChainDiff::Row& row : diff.rows())
        m_lines.push_back({ side(diff.stepA(row), row.depth), side(diff.stepB(row), row.depth), diff.describe(row) });
    endResetModel();
}

ChainDiffModel::Problem ChainDiffModel::problemOf(quint16 marks)
{
    if (marks & (ChainDiff::Slower | ChainDiff::MoreRetries | ChainDiff::FailedOnlyB | ChainDiff::DeadLetteredOnlyB))
        return Worse;
    if (marks & (ChainDiff::OnlyA | ChainDiff::OnlyB))
        return OneSide;
    if (marks)
        return Better;
    return Same;
}

int ChainDiffModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_lines.size()); }

int ChainDiffModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ChainDiffModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case AStep:
        return tr("A: step");
    case AAt:
        return tr("A: at");
    case AHop:
        return tr("A: hop");
    case BStep:
        return tr("B: step");
    case BAt:
        return tr("B: at");
    case BHop:
        return tr("B: hop");
    case Difference:
        return tr("Difference");
    }
    return {};
}

QVariant ChainDiffModel::unboundedData(const QModelIndex& index, int role) const
{
    if (!index.isValid() || std::size_t(index.row()) >= m_lines.size())
        return {};
    const Line& line = m_lines[std::size_t(index.row())];
    const ChainDiff::Row& row = m_diff.rows()[std::size_t(index.row())];
    const bool a = index.column() <= AHop;
    const Side& s = a ? line.a : line.b;
    const Problem problem = problemOf(row.marks);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case AStep:
        case BStep:
            return s.type;
        case AAt:
        case BAt:
            return s.at;
        case AHop:
        case BHop:
            return s.hop;
        case Difference:
            return line.difference;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Difference)
            return line.difference;
        return s.id.isEmpty() ? QVariant() : QVariant(tr("Event %1").arg(s.id));
    case Qt::TextAlignmentRole:
        return index.column() == AAt || index.column() == AHop || index.column() == BAt || index.column() == BHop
            ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
            : QVariant();
    case Qt::BackgroundRole:
        // a step on one side only: coloured on that side, the empty side left plain
        if (problem == OneSide && index.column() != Difference && s.type.isEmpty())
            return {};
        switch (problem) {
        case Worse:
            return QBrush(QColor(0xef, 0x9a, 0x9a));
        case Better:
            return QBrush(QColor(0xa5, 0xd6, 0xa7));
        case OneSide:
            return QBrush(QColor(0xff, 0xe0, 0x82));
        case Same:
            break;
        }
        return {};
    case Qt::ForegroundRole:
        return problem != Same && !(problem == OneSide && index.column() != Difference && s.type.isEmpty())
            ? QVariant(QBrush(Qt::black))
            : QVariant();
    case ProblemRole:
        return int(problem);
    case MarksRole:
        return int(row.marks);
    case EventARole:
        return row.a >= 0 ? QVariant(m_diff.stepA(row)->event) : QVariant();
    case EventBRole:
        return row.b >= 0 ? QVariant(m_diff.stepB(row)->event) : QVariant();
    }
    return {};
}
