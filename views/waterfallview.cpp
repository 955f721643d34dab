// SPDX-License-Identifier: MIT
#include "waterfallview.h"

#include "chaintreemodel.h"
#include "colours.h"
#include "printable.h"
#include "session.h"
#include "tooltip.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <limits>

namespace {
constexpr int LabelWidth = 280;
constexpr int HeaderHeight = 22;

QColor sourceColour(std::string_view source, bool dark)
{
    const std::size_t h = std::hash<std::string_view>()(source);
    return QColor::fromHsv(int(h % 360), 140, dark ? 230 : 190);
}

QString msText(double ms)
{
    return ms >= 1000 ? QStringLiteral("%1 s").arg(ms / 1000.0, 0, 'f', ms >= 10000 ? 1 : 2)
                      : QStringLiteral("%1 ms").arg(ms, 0, 'f', ms >= 100 ? 0 : 1);
}
} // namespace

WaterfallView::WaterfallView(const Session& session, const ChainTreeModel& model, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(model)
{
    setAccessibleName(tr("Chain waterfall"));
    setFocusPolicy(Qt::ClickFocus);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    // the rows follow the model whoever changes it (a reset empties the chain)
    connect(&m_model, &QAbstractItemModel::modelReset, this, &WaterfallView::chainChanged);
}

WaterfallView::~WaterfallView() = default;

int WaterfallView::rowHeight() const { return fontMetrics().height() + 6; }

QSize WaterfallView::sizeHint() const
{
    return { 900, HeaderHeight + rowHeight() * int(std::max<std::size_t>(1, m_rows.size())) + 4 };
}

// every row keeps its height: the scroll area scrolls rather than squeezing the rows
QSize WaterfallView::minimumSizeHint() const { return { LabelWidth + 200, sizeHint().height() }; }

void WaterfallView::chainChanged()
{
    layoutRows();
    updateGeometry();
    resize(width(), sizeHint().height());
    update();
}

void WaterfallView::setSelectedEvent(quint32 event)
{
    m_selected = event;
    update();
}

int WaterfallView::rowOfEvent(quint32 event) const
{
    const auto& timeline = m_model.timeline();
    for (std::size_t i = 0; i < timeline.size() && i < m_rowOf.size(); ++i)
        if (timeline[i].event == event)
            return m_rowOf[i];
    return -1;
}

int WaterfallView::repeatsAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[std::size_t(row)].repeats : 0;
}

void WaterfallView::setExpanded(int row, bool expanded)
{
    if (row < 0 || row >= int(m_rows.size()))
        return;
    const quint32 first = m_model.timeline()[std::size_t(m_rows[std::size_t(row)].entry)].event;
    const auto it = std::find(m_expanded.begin(), m_expanded.end(), first);
    if (expanded && it == m_expanded.end())
        m_expanded.push_back(first);
    else if (!expanded && it != m_expanded.end())
        m_expanded.erase(it);
    chainChanged();
}

void WaterfallView::layoutRows()
{
    const auto& timeline = m_model.timeline();
    const int n = int(timeline.size());
    m_rows.clear();
    m_rowOf.assign(std::size_t(n), 0);
    // where each entry's sub-tree ends (the timeline is depth-first)
    std::vector<int> end(std::size_t(n), n);
    std::vector<int> open;
    for (int i = 0; i < n; ++i) {
        while (!open.empty() && timeline[std::size_t(open.back())].depth >= timeline[std::size_t(i)].depth) {
            end[std::size_t(open.back())] = i;
            open.pop_back();
        }
        open.push_back(i);
    }
    const auto typeOf = [&](int i) {
        const quint32 event = timeline[std::size_t(i)].event;
        return m_session.store().contains(event) ? m_session.store().typeAt(event) : quint16(0);
    };
    // two sub-trees are repeats when they hold the same types and kinds in the same shape
    const auto same = [&](int a, int b) {
        if (end[std::size_t(a)] - a != end[std::size_t(b)] - b)
            return false;
        for (int k = 0; k < end[std::size_t(a)] - a; ++k) {
            const TimelineEntry &x = timeline[std::size_t(a + k)], &y = timeline[std::size_t(b + k)];
            if (x.depth - timeline[std::size_t(a)].depth != y.depth - timeline[std::size_t(b)].depth || x.kind != y.kind
                || typeOf(a + k) != typeOf(b + k))
                return false;
        }
        return true;
    };
    std::vector<bool> unfoldedMember(std::size_t(n), false); // the later repeats of a group shown unfolded
    for (int i = 0; i < n;) {
        int last = i, repeats = 1;
        // a later repeat of a group shown unfolded is a row of its own: its run was found already
        while (!unfoldedMember[std::size_t(i)] && end[std::size_t(last)] < n
            && timeline[std::size_t(end[std::size_t(last)])].parent == timeline[std::size_t(i)].parent
            && same(i, end[std::size_t(last)])) {
            last = end[std::size_t(last)];
            ++repeats;
        }
        const bool unfolded = unfoldedMember[std::size_t(i)]
            || std::find(m_expanded.begin(), m_expanded.end(), timeline[std::size_t(i)].event) != m_expanded.end();
        if (repeats > 1 && unfolded)
            for (int k = end[std::size_t(i)]; k < end[std::size_t(last)]; k = end[std::size_t(k)])
                unfoldedMember[std::size_t(k)] = true;
        if (repeats > 1 && !unfolded) {
            for (int k = i; k < end[std::size_t(last)]; ++k)
                m_rowOf[std::size_t(k)] = int(m_rows.size());
            m_rows.push_back({ i, repeats, false });
            i = end[std::size_t(last)];
            continue;
        }
        m_rowOf[std::size_t(i)] = int(m_rows.size());
        m_rows.push_back({ i, 1, repeats > 1 && !unfoldedMember[std::size_t(i)] });
        ++i;
    }
}

int WaterfallView::rowCenterY(int row) const { return HeaderHeight + row * rowHeight() + rowHeight() / 2; }

int WaterfallView::rowAt(int y) const
{
    const int row = (y - HeaderHeight) / rowHeight();
    return y < HeaderHeight || row >= int(m_rows.size())
            || m_rows[std::size_t(row)].entry >= int(m_model.timeline().size())
        ? -1
        : row;
}

void WaterfallView::mousePressEvent(QMouseEvent* event)
{
    const int row = rowAt(event->position().toPoint().y());
    if (row < 0)
        return;
    const Row r = m_rows[std::size_t(row)];
    m_selected = m_model.timeline()[std::size_t(r.entry)].event;
    // a folded group unfolds; an unfolded one folds back from its marker before the type
    const int indent = std::min(m_model.timeline()[std::size_t(r.entry)].depth, 12) * 12;
    if (r.repeats > 1)
        setExpanded(row, true);
    else if (r.expandedGroup
        && event->position().x() < 4 + indent + fontMetrics().horizontalAdvance(QStringLiteral("▾ ")))
        setExpanded(row, false);
    update();
    Q_EMIT eventSelected(m_selected);
}

void WaterfallView::mouseDoubleClickEvent(QMouseEvent* event)
{
    const int row = rowAt(event->position().toPoint().y());
    if (row >= 0)
        Q_EMIT eventActivated(m_model.timeline()[std::size_t(m_rows[std::size_t(row)].entry)].event);
}

std::optional<double> WaterfallView::placeLabel(double from, double to, double labelWidth, double left, double right)
{
    constexpr double Gap = 4;
    if (to + Gap + labelWidth <= right)
        return to + Gap;
    if (to - from >= labelWidth + 2 * Gap)
        return from + (to - from - labelWidth) / 2;
    if (from - Gap - labelWidth >= left)
        return from - Gap - labelWidth;
    return std::nullopt;
}

QString WaterfallView::rowToolTip(int row) const
{
    const auto& timeline = m_model.timeline();
    if (row < 0 || std::size_t(row) >= m_rows.size())
        return QString();
    const int entry = m_rows[std::size_t(row)].entry;
    if (!m_session.store().contains(timeline[std::size_t(entry)].event))
        return QString();
    const TimelineEntry& e = timeline[std::size_t(entry)];
    const EventRecord& r = m_session.store().at(e.event);
    if (m_rows[std::size_t(row)].repeats > 1) {
        qint64 lastUs = e.eventTimeUs;
        int retries = 0;
        for (std::size_t k = std::size_t(entry); k < timeline.size() && m_rowOf[k] == row; ++k) {
            lastUs = std::max(lastUs, timeline[k].eventTimeUs);
            retries += timeline[k].kind == TimelineEntry::Retry;
        }
        return tr("%1, %2 times over %3 (%4 retries); click to show each")
            .arg(Printable::forDisplay(m_session.types().view(r.type), 200))
            .arg(m_rows[std::size_t(row)].repeats)
            .arg(msText(double(lastUs - e.eventTimeUs) / 1000.0))
            .arg(retries);
    }
    QStringList lines { Printable::forDisplay(m_session.types().view(r.type), 200),
        tr("from %1").arg(Printable::forDisplay(m_session.sources().view(r.source), 200)),
        tr("published +%1 after the chain's first event")
            .arg(msText(double(e.eventTimeUs - m_model.startUs()) / 1000.0)) };
    if (e.receiveTimeUs > e.eventTimeUs)
        lines << tr("on the bus %1").arg(msText(double(e.receiveTimeUs - e.eventTimeUs) / 1000.0));
    if (e.kind == TimelineEntry::Retry && e.delayMs > 0)
        lines << tr("backoff %1 before the next attempt").arg(msText(double(e.delayMs)));
    if (e.critical && e.parent >= 0 && m_model.endUs() > m_model.startUs()) {
        const qint64 hop = e.eventTimeUs - timeline[std::size_t(e.parent)].eventTimeUs;
        lines << tr("on the critical path: %1 from its cause, %2 % of the chain")
                     .arg(msText(double(hop) / 1000.0))
                     .arg(100.0 * double(hop) / double(m_model.endUs() - m_model.startUs()), 0, 'f', 1);
    } else if (e.critical) {
        lines << tr("on the critical path");
    }
    if (e.kind == TimelineEntry::DeadLetter)
        lines << tr("dead-lettered");
    else if (e.kind == TimelineEntry::Failure)
        lines << tr("failed");
    return lines.join(QLatin1Char('\n'));
}

bool WaterfallView::event(QEvent* event)
{
    return answerToolTip(this, event, [this](QPoint pos) { return rowToolTip(rowAt(pos.y())); })
        || QWidget::event(event);
}

void WaterfallView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QPalette& pal = palette();
    const bool dark = pal.color(QPalette::Base).lightness() < 128;
    const auto& timeline = m_model.timeline();
    m_backoffBars = m_deadLetterMarks = m_labelsInTooltips = 0;
    if (timeline.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Select a chain to see its waterfall"));
        return;
    }
    const int rh = rowHeight();
    const double span = std::max<double>(1000.0, double(m_model.endUs() - m_model.startUs())); // µs
    const double left = LabelWidth + 8, right = width() - 70;
    const double scale = (right - left) / span;
    const auto xOf = [&](qint64 us) { return left + double(us - m_model.startUs()) * scale; };

    // time scale: five ticks from the chain's first publish
    p.setPen(pal.color(QPalette::Mid));
    for (int t = 0; t <= 4; ++t) {
        const double x = left + (right - left) * t / 4;
        p.drawLine(QPointF(x, HeaderHeight - 4), QPointF(x, height()));
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(x - 50, 2, 100, HeaderHeight - 4), Qt::AlignCenter, msText(span * t / 4 / 1000.0));
        p.setPen(pal.color(QPalette::Mid));
    }
    const EventStore& store = m_session.store();
    p.setRenderHint(QPainter::Antialiasing);
    // the extent of each folded group, for its label: how many times over how long
    std::vector<std::pair<qint64, qint64>> groupSpan(m_rows.size(), { std::numeric_limits<qint64>::max(), 0 });
    for (std::size_t i = 0; i < timeline.size() && i < m_rowOf.size(); ++i)
        if (m_rows[std::size_t(m_rowOf[i])].repeats > 1) {
            const TimelineEntry& e = timeline[i];
            auto& [from, to] = groupSpan[std::size_t(m_rowOf[i])];
            from = std::min(from, e.eventTimeUs);
            to = std::max(to, e.eventTimeUs + std::max<qint64>(e.delayMs, 0) * 1000);
        }
    for (std::size_t i = 0; i < timeline.size() && i < m_rowOf.size(); ++i) {
        const TimelineEntry& e = timeline[i];
        const int rowIndex = m_rowOf[i];
        const Row& row = m_rows[std::size_t(rowIndex)];
        const bool head = row.entry == int(i); // the entry that labels its row
        const bool folded = row.repeats > 1;
        const double y = HeaderHeight + double(rowIndex) * rh;
        const double mid = y + rh / 2.0;
        if (e.event == m_selected)
            p.fillRect(QRectF(0, y, width(), rh), pal.color(QPalette::Highlight).lighter(dark ? 60 : 170));
        if (!store.contains(e.event))
            continue;
        const EventRecord& r = store.at(e.event);
        const int indent = std::min(e.depth, 12) * 12;
        if (head) {
            QString type = Printable::forDisplay(m_session.types().view(r.type));
            if (folded)
                type = tr("▸ %1 ×%2 in %3")
                           .arg(type)
                           .arg(row.repeats)
                           .arg(msText(
                               double(groupSpan[std::size_t(rowIndex)].second - groupSpan[std::size_t(rowIndex)].first)
                               / 1000.0));
            else if (row.expandedGroup)
                type = QStringLiteral("▾ ") + type;
            p.setPen(pal.color(QPalette::Text));
            p.drawText(QRectF(4 + indent, y, LabelWidth - indent, rh), Qt::AlignVCenter | Qt::AlignLeft,
                fontMetrics().elidedText(type, Qt::ElideMiddle, LabelWidth - indent - 4));
        }

        const double x = xOf(e.eventTimeUs);
        // cause -> effect: an elbow from the cause's mark down to this row (a folded group's repeats
        // share their row: one elbow, from the cause to the first)
        if (e.parent >= 0 && m_rowOf[std::size_t(e.parent)] != rowIndex && (head || !folded)) {
            const TimelineEntry& cause = timeline[std::size_t(e.parent)];
            const double px = xOf(cause.eventTimeUs),
                         py = HeaderHeight + double(m_rowOf[std::size_t(e.parent)]) * rh + rh / 2.0;
            // the critical path stands out: what made the chain as long as it is
            p.setPen(e.critical ? QPen(pal.color(QPalette::Highlight), 2.5) : QPen(pal.color(QPalette::Mid), 1));
            QPainterPath link;
            link.moveTo(px, py + 4);
            link.lineTo(px, mid);
            link.lineTo(x - 5, mid);
            p.drawPath(link);
        }
        // time on the bus: from publish to receive
        const QColor colour = sourceColour(m_session.sources().view(r.source), dark);
        const double rx = xOf(e.receiveTimeUs);
        if (rx > x + 1) {
            QColor bus = colour;
            bus.setAlpha(110);
            p.fillRect(QRectF(x, mid - 3, rx - x, 6), bus);
        }
        if (e.kind == TimelineEntry::Retry && e.delayMs > 0) {
            // the backoff the bus waited before trying again
            const double bx = xOf(e.eventTimeUs + e.delayMs * 1000);
            p.setPen(QPen(Colours::retries(dark), 2, Qt::DashLine));
            p.drawLine(QPointF(x, mid), QPointF(bx, mid));
            const QString label = tr("backoff %1").arg(msText(double(e.delayMs)));
            const double labelWidth = fontMetrics().horizontalAdvance(label) + 4;
            // a folded group's repeats say their backoffs in its tooltip: on one row they would overlap
            if (const std::optional<double> lx = folded ? std::nullopt : placeLabel(x, bx, labelWidth, left, right)) {
                // on the bar's own background, so the dashes do not run through the text
                const QRectF where(*lx, y + 1, labelWidth, rh - 2);
                p.fillRect(where, pal.color(QPalette::Base));
                p.setPen(pal.color(QPalette::Text));
                p.drawText(where, Qt::AlignVCenter | Qt::AlignHCenter, label);
            } else {
                ++m_labelsInTooltips;
            }
            ++m_backoffBars;
        }
        QColor markColour = colour;
        if (e.kind == TimelineEntry::DeadLetter || e.kind == TimelineEntry::Failure)
            markColour = Colours::deadLetters(dark);
        else if (e.kind == TimelineEntry::Retry)
            markColour = Colours::retries(dark);
        p.setPen(QPen(pal.color(QPalette::Text), 1));
        p.setBrush(markColour);
        if (e.kind == TimelineEntry::DeadLetter) {
            p.setPen(QPen(markColour, 3));
            p.drawLine(QPointF(x - 5, mid - 5), QPointF(x + 5, mid + 5));
            p.drawLine(QPointF(x - 5, mid + 5), QPointF(x + 5, mid - 5));
            p.setPen(Colours::deadLetters(dark));
            const QString label = tr("DEAD-LETTERED");
            const double labelWidth = fontMetrics().horizontalAdvance(label) + 4;
            // beside the mark, on whichever side has room
            if (const std::optional<double> lx = placeLabel(x - 4, x + 4, labelWidth, left, right)) {
                const QRectF where(*lx, y, labelWidth, rh);
                p.fillRect(where, pal.color(QPalette::Base));
                p.drawText(where, Qt::AlignVCenter | Qt::AlignHCenter, label);
            } else {
                ++m_labelsInTooltips;
            }
            ++m_deadLetterMarks;
        } else {
            QPolygonF diamond;
            diamond << QPointF(x, mid - 5) << QPointF(x + 5, mid) << QPointF(x, mid + 5) << QPointF(x - 5, mid);
            p.drawPolygon(diamond);
        }
        if (head) {
            p.setPen(pal.color(QPalette::PlaceholderText));
            p.drawText(QRectF(right + 4, y, 66, rh), Qt::AlignVCenter | Qt::AlignRight,
                QStringLiteral("+%1").arg(msText(double(e.eventTimeUs - m_model.startUs()) / 1000.0)));
        }
        p.setBrush(Qt::NoBrush);
    }
    if (m_model.hidden() > 0) {
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(4, HeaderHeight + double(m_rows.size()) * rh, width(), rh), Qt::AlignVCenter,
            tr("... and %L1 more events not drawn").arg(m_model.hidden()));
    }
}
