// SPDX-License-Identifier: MIT
#include "waterfallview.h"

#include "chaintreemodel.h"
#include "colours.h"
#include "printable.h"
#include "session.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

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
}

WaterfallView::~WaterfallView() = default;

int WaterfallView::rowHeight() const { return fontMetrics().height() + 6; }

QSize WaterfallView::sizeHint() const
{
    return { 900, HeaderHeight + rowHeight() * int(std::max<std::size_t>(1, m_model.timeline().size())) + 4 };
}

// every row keeps its height: the scroll area scrolls rather than squeezing the rows
QSize WaterfallView::minimumSizeHint() const { return { LabelWidth + 200, sizeHint().height() }; }

void WaterfallView::chainChanged()
{
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
    for (std::size_t i = 0; i < timeline.size(); ++i)
        if (timeline[i].event == event)
            return int(i);
    return -1;
}

int WaterfallView::rowCenterY(int row) const { return HeaderHeight + row * rowHeight() + rowHeight() / 2; }

int WaterfallView::rowAt(int y) const
{
    const int row = (y - HeaderHeight) / rowHeight();
    return y < HeaderHeight || row >= int(m_model.timeline().size()) ? -1 : row;
}

void WaterfallView::mousePressEvent(QMouseEvent* event)
{
    const int row = rowAt(event->position().toPoint().y());
    if (row < 0)
        return;
    m_selected = m_model.timeline()[std::size_t(row)].event;
    update();
    Q_EMIT eventSelected(m_selected);
}

void WaterfallView::mouseDoubleClickEvent(QMouseEvent* event)
{
    const int row = rowAt(event->position().toPoint().y());
    if (row >= 0)
        Q_EMIT eventActivated(m_model.timeline()[std::size_t(row)].event);
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
    if (row < 0 || std::size_t(row) >= timeline.size() || !m_session.store().contains(timeline[std::size_t(row)].event))
        return QString();
    const TimelineEntry& e = timeline[std::size_t(row)];
    const EventRecord& r = m_session.store().at(e.event);
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
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    const QString text = rowToolTip(rowAt(help->pos().y()));
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(help->globalPos(), text, this);
    return true;
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
    for (std::size_t i = 0; i < timeline.size(); ++i) {
        const TimelineEntry& e = timeline[i];
        const double y = HeaderHeight + double(i) * rh;
        const double mid = y + rh / 2.0;
        if (e.event == m_selected)
            p.fillRect(QRectF(0, y, width(), rh), pal.color(QPalette::Highlight).lighter(dark ? 60 : 170));
        if (!store.contains(e.event))
            continue;
        const EventRecord& r = store.at(e.event);
        const QString type = Printable::forDisplay(m_session.types().view(r.type));
        p.setPen(pal.color(QPalette::Text));
        const int indent = std::min(e.depth, 12) * 12;
        p.drawText(QRectF(4 + indent, y, LabelWidth - indent, rh), Qt::AlignVCenter | Qt::AlignLeft,
            fontMetrics().elidedText(type, Qt::ElideMiddle, LabelWidth - indent - 4));

        const double x = xOf(e.eventTimeUs);
        // cause -> effect: an elbow from the cause's mark down to this row
        if (e.parent >= 0) {
            const TimelineEntry& cause = timeline[std::size_t(e.parent)];
            const double px = xOf(cause.eventTimeUs), py = HeaderHeight + double(e.parent) * rh + rh / 2.0;
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
            if (const std::optional<double> lx = placeLabel(x, bx, labelWidth, left, right)) {
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
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRectF(right + 4, y, 66, rh), Qt::AlignVCenter | Qt::AlignRight,
            QStringLiteral("+%1").arg(msText(double(e.eventTimeUs - m_model.startUs()) / 1000.0)));
        p.setBrush(Qt::NoBrush);
    }
    if (m_model.hidden() > 0) {
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(4, HeaderHeight + double(timeline.size()) * rh, width(), rh), Qt::AlignVCenter,
            tr("... and %L1 more events not drawn").arg(m_model.hidden()));
    }
}
