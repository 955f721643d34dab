// SPDX-License-Identifier: MIT
#include "chartspanel.h"

#include "breakertimelineview.h"
#include "colours.h"
#include "printable.h"
#include "serieschartview.h"
#include "session.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDataStream>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QSpinBox>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>
#include <utility>

namespace {
/// A series' points over [fromSecond, toSecond) (fromSecond: where the session's data begins, or later):
/// one per second, or, when the data reaches back beyond the seconds' ring (a whole session longer than
/// an hour), one per minute in events/s.
QList<QPointF> points(const RateSeries& s, qint64 fromSecond, qint64 toSecond, bool perMinute)
{
    QList<QPointF> out;
    if (perMinute) {
        // whole minutes only: the one still filling would show as a dip
        const qint64 first = fromSecond / 60, end = toSecond / 60;
        out.reserve(end - first);
        for (qint64 m = first; m < end; ++m)
            out.append(QPointF(double(m * 60) * 1000.0, double(s.countInMinute(m)) / 60.0));
        return out;
    }
    out.reserve(toSecond - fromSecond);
    for (qint64 sec = fromSecond; sec < toSecond; ++sec)
        out.append(QPointF(double(sec) * 1000.0, s.countAt(sec)));
    return out;
}

quint64 sumOver(const RateSeries& s, qint64 fromSecond, qint64 toSecond, bool perMinute)
{
    quint64 sum = 0;
    if (perMinute) {
        for (qint64 m = fromSecond / 60; m < toSecond / 60; ++m)
            sum += s.countInMinute(m);
        return sum;
    }
    for (qint64 sec = fromSecond; sec < toSecond; ++sec)
        sum += s.countAt(sec);
    return sum;
}
} // namespace

ChartsPanel::ChartsPanel(const Session& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_window(new QComboBox(this))
    , m_grouping(new QComboBox(this))
    , m_topN(new QSpinBox(this))
    , m_stacked(new QCheckBox(tr("Stacked"), this))
    , m_types(new QToolButton(this))
    , m_pause(new QToolButton(this))
    , m_rates(new SeriesChartView(tr("Events per second"), this))
    , m_problems(new SeriesChartView(tr("Retries, dead letters and failures per second"), this))
    , m_breakers(new BreakerTimelineView(session, this))
    , m_resetRange(new QToolButton(this))
{
    for (const auto& [label, seconds] : { std::pair { tr("1 min"), 60 }, { tr("5 min"), 300 }, { tr("15 min"), 900 },
             { tr("1 h"), 3600 }, { tr("Whole session"), 0 } })
        m_window->addItem(label, seconds);
    m_window->setCurrentIndex(0);
    m_window->setAccessibleName(tr("Time window"));
    m_grouping->addItem(tr("Top types"));
    m_grouping->addItem(tr("Domains"));
    m_grouping->setAccessibleName(tr("Series"));
    m_topN->setRange(1, 20);
    m_topN->setValue(6);
    m_topN->setPrefix(tr("top "));
    m_topN->setAccessibleName(tr("Number of types"));
    m_types->setText(tr("Pick types"));
    m_types->setPopupMode(QToolButton::InstantPopup);
    m_types->setMenu(new QMenu(m_types));
    m_pause->setText(tr("Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Pause the charts (the session goes on recording)"));
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Window:"), this));
    bar->addWidget(m_window);
    bar->addWidget(m_grouping);
    bar->addWidget(m_topN);
    bar->addWidget(m_types);
    bar->addWidget(m_stacked);
    bar->addStretch(1);
    m_resetRange->setText(tr("Reset zoom"));
    m_resetRange->setToolTip(tr("Back to the window (or double-click a chart). Drag a band to zoom, turn the wheel, "
                                "drag with Shift or the middle button to pan."));
    m_resetRange->hide();
    bar->addWidget(m_resetRange);
    bar->addWidget(m_pause);
    // "booking.co..." could be created, confirmed or completed: type names need the room
    m_rates->setLegendBeside(true);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_rates);
    split->addWidget(m_problems);
    split->addWidget(m_breakers);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setStretchFactor(2, 2);
    split->setSizes({ 300, 200, 200 }); // the splitter scales these to the space it gets
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    const auto redraw = [this] {
        if (m_lastNowUs) {
            const bool paused = m_paused;
            m_paused = false;
            refresh(m_lastNowUs);
            m_paused = paused;
        }
    };
    connect(m_window, &QComboBox::currentIndexChanged, this, redraw);
    connect(m_grouping, &QComboBox::currentIndexChanged, this, [this, redraw](int i) {
        m_topN->setEnabled(i == 0);
        redraw();
    });
    connect(m_topN, &QSpinBox::valueChanged, this, redraw);
    connect(m_stacked, &QCheckBox::toggled, this, [this, redraw](bool on) {
        m_rates->setStacked(on);
        redraw();
    });
    connect(m_pause, &QToolButton::toggled, this, &ChartsPanel::setPaused);
    connect(m_resetRange, &QToolButton::clicked, this, &ChartsPanel::resetRange);
    for (SeriesChartView* chart : { m_rates, m_problems }) {
        connect(chart, &SeriesChartView::rangeRequested, this, &ChartsPanel::setRange);
        connect(chart, &SeriesChartView::rangeResetRequested, this, &ChartsPanel::resetRange);
    }
    connect(m_types->menu(), &QMenu::aboutToShow, this, &ChartsPanel::fillTypeMenu);
    connect(m_breakers, &BreakerTimelineView::transitionClicked, this, &ChartsPanel::transitionClicked);
    connect(m_breakers, &BreakerTimelineView::affectedChainsRequested, this, &ChartsPanel::affectedChainsRequested);
}

ChartsPanel::~ChartsPanel() = default;

void ChartsPanel::fillTypeMenu()
{
    QMenu* menu = m_types->menu();
    menu->clear();
    QStringList names;
    for (std::size_t t = 1; t < m_session.types().size(); ++t)
        names << m_session.types().string(quint16(t));
    names.sort();
    for (const QString& name : std::as_const(names)) {
        QAction* a = menu->addAction(Printable::forDisplay(name, 80));
        a->setCheckable(true);
        a->setChecked(m_picked.contains(name));
        connect(a, &QAction::toggled, this, [this, name](bool on) {
            if (on)
                m_picked.insert(name);
            else
                m_picked.remove(name);
            if (m_lastNowUs)
                refresh(m_lastNowUs);
        });
    }
}

void ChartsPanel::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    m_pause->setChecked(paused);
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    Q_EMIT pausedChanged(paused);
}

void ChartsPanel::setWindowSeconds(int seconds)
{
    const int i = m_window->findData(seconds);
    if (i >= 0)
        m_window->setCurrentIndex(i);
}

int ChartsPanel::windowSeconds() const { return m_window->currentData().toInt(); }

void ChartsPanel::setRange(qint64 fromMs, qint64 toMs)
{
    m_rangeFromS = fromMs / 1000;
    m_rangeToS = std::max(m_rangeFromS + 2, toMs / 1000);
    m_resetRange->show();
    if (m_lastNowUs) {
        const bool paused = std::exchange(m_paused, false);
        refresh(m_lastNowUs);
        m_paused = paused;
    }
}

void ChartsPanel::resetRange()
{
    m_rangeFromS = m_rangeToS = 0;
    m_resetRange->hide();
    if (m_lastNowUs) {
        const bool paused = std::exchange(m_paused, false);
        refresh(m_lastNowUs);
        m_paused = paused;
    }
}

void ChartsPanel::setWaitingText(const QString& text)
{
    // the connection's state changes every half second: only the sentence follows it, not the charts
    m_waiting = text;
    showWhyEmpty();
}

void ChartsPanel::showWhyEmpty()
{
    // no event yet: a sentence instead of axes over a time nobody watched
    const QString empty = m_session.eventCount() > 0 ? QString()
        : m_waiting.isEmpty()                        ? tr("No events yet")
                                                     : tr("No events yet\n%1").arg(m_waiting);
    m_rates->setEmptyText(empty);
    m_problems->setEmptyText(empty);
}

void ChartsPanel::refresh(qint64 nowUs)
{
    if (m_paused || !isVisible())
        return;
    showWhyEmpty();
    QElapsedTimer timer;
    timer.start();
    m_lastNowUs = nowUs;
    // the current second is still filling: the charts end at the last complete one
    qint64 toSecond = nowUs / 1000000;
    qint64 fromSecond = toSecond - windowSeconds();
    if (windowSeconds() == 0) // the whole session, as far as the minutes' history reaches
        fromSecond = std::max(m_session.firstEventTimeUs() / 1000000,
            toSecond - qint64(std::max(RateSeries::MinuteBuckets * 60, m_session.config().rateSeconds)));
    if (hasRange()) {
        fromSecond = m_rangeFromS;
        toSecond = m_rangeToS;
    }
    if (toSecond <= fromSecond)
        fromSecond = toSecond - 1;
    // the axis spans the window; the lines begin where the session's data does: the seconds before the
    // first event were not watched, and a zero there would say the bus was idle. Live, watching began
    // inside the first second, so it holds a fraction of a second's events and drew as a dip at the
    // start of every line: the lines begin at the first whole second. (A file's seconds are its own.)
    const qint64 firstSecond = m_session.rates().all().firstSecond();
    const qint64 watchedFrom = std::clamp(firstSecond, fromSecond, toSecond);
    const bool partFirst
        = m_session.config().clock == Session::Clock::Live && firstSecond >= fromSecond && firstSecond < toSecond;
    const qint64 dataFrom = partFirst ? watchedFrom + 1 : watchedFrom;
    // data beyond the seconds' ring (which ends at the newest second): minutes. (An hour's window over a
    // session younger than the ring stays in seconds: in minutes, its one unfinished minute draws nothing.)
    const bool perMinute = dataFrom <= nowUs / 1000000 - m_session.config().rateSeconds;
    if (perMinute != m_perMinute) {
        m_perMinute = perMinute;
        m_rates->chart()->setTitle(perMinute ? tr("Events per second (each minute's mean)") : tr("Events per second"));
        m_problems->chart()->setTitle(perMinute
                ? tr("Retries, dead letters and failures per second (each minute's mean)")
                : tr("Retries, dead letters and failures per second"));
    }
    std::vector<SeriesChartView::Series> series;
    const RateTracker& rates = m_session.rates();
    if (m_grouping->currentIndex() == 1) {
        for (std::size_t d = 1; d < rates.domains().size(); ++d)
            if (const RateSeries* s = rates.domain(quint16(d)))
                series.push_back({ Printable::forDisplay(rates.domains().view(quint16(d)), 60),
                    points(*s, dataFrom, toSecond, perMinute), {} });
    } else {
        std::vector<std::pair<quint64, quint16>> ranked;
        for (std::size_t t = 1; t < m_session.types().size(); ++t)
            if (const RateSeries* s = rates.type(quint16(t))) {
                const bool picked = m_picked.contains(m_session.types().string(quint16(t)));
                // picked types always show: rank them above every other
                ranked.push_back({ picked ? ~quint64(0) : sumOver(*s, fromSecond, toSecond, perMinute), quint16(t) });
            }
        std::sort(ranked.begin(), ranked.end(), std::greater<>());
        const std::size_t shown = std::max<std::size_t>(std::size_t(m_topN->value()),
            std::size_t(
                std::count_if(ranked.begin(), ranked.end(), [](const auto& r) { return r.first == ~quint64(0); })));
        // the chosen types in name order: a series keeps its slot (and colour, and legend entry) while
        // the ranking inside the top N shifts, which spares the chart a relayout every tick
        std::vector<QString> names;
        for (std::size_t i = 0; i < std::min(shown, ranked.size()); ++i)
            names.push_back(m_session.types().string(ranked[i].second));
        std::sort(names.begin(), names.end());
        for (const QString& name : names) {
            const int type = m_session.types().find(name.toStdString());
            // the legend lays out what it is given: a bounded name (QtCharts took seconds over 64 KiB)
            series.push_back({ Printable::forDisplay(name, 60),
                points(*rates.type(quint16(type)), dataFrom, toSecond, perMinute), {} });
        }
    }
    m_rates->setData(series, fromSecond * 1000, toSecond * 1000);

    const bool dark = Colours::isDark(palette());
    const std::vector<SeriesChartView::Series> problems {
        { tr("retries"), points(m_session.problemRate(RetryTracker::Retry), dataFrom, toSecond, perMinute),
            Colours::retries(dark) },
        { tr("dead letters"), points(m_session.problemRate(RetryTracker::DeadLetter), dataFrom, toSecond, perMinute),
            Colours::deadLetters(dark) },
        { tr("failures"), points(m_session.problemRate(RetryTracker::Failure), dataFrom, toSecond, perMinute),
            Colours::failures(dark) },
    };
    m_problems->setData(problems, fromSecond * 1000, toSecond * 1000);
    // a breaker's state is known from the first second on, whole or not
    m_breakers->refresh(fromSecond * 1000000, toSecond * 1000000, watchedFrom * 1000000);
    m_lastUpdateUs = timer.nsecsElapsed() / 1000;
}

QByteArray ChartsPanel::saveState() const
{
    QByteArray out;
    QDataStream s(&out, QIODevice::WriteOnly);
    s << quint8(1) << windowSeconds() << m_grouping->currentIndex() << m_topN->value() << m_stacked->isChecked()
      << QStringList(m_picked.begin(), m_picked.end());
    return out;
}

void ChartsPanel::restoreState(const QByteArray& state)
{
    QDataStream s(state);
    quint8 version = 0;
    int window = 0, grouping = 0, top = 0;
    bool stacked = false;
    QStringList picked;
    s >> version >> window >> grouping >> top >> stacked >> picked;
    if (s.status() != QDataStream::Ok || version != 1)
        return;
    setWindowSeconds(window);
    m_grouping->setCurrentIndex(std::clamp(grouping, 0, 1));
    m_topN->setValue(top);
    m_stacked->setChecked(stacked);
    m_picked = QSet<QString>(picked.begin(), picked.end());
}
