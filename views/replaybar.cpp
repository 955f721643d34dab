// SPDX-License-Identifier: MIT
#include "replaybar.h"

#include "timestamp.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QSlider>
#include <QStyle>
#include <QStyleOptionSlider>
#include <QToolButton>

namespace {
/// The timeline: a slider with the capture's bookmarks drawn over its groove.
class MarkedSlider : public QSlider
{
public:
    explicit MarkedSlider(QWidget* parent)
        : QSlider(Qt::Horizontal, parent)
    { }
    std::vector<int> marks; ///< slider values

protected:
    void paintEvent(QPaintEvent* event) override
    {
        QSlider::paintEvent(event);
        if (marks.empty() || maximum() <= minimum())
            return;
        QStyleOptionSlider option;
        initStyleOption(&option);
        const QRect groove = style()->subControlRect(QStyle::CC_Slider, &option, QStyle::SC_SliderGroove, this);
        const int handle = style()->pixelMetric(QStyle::PM_SliderLength, &option, this);
        QPainter p(this);
        p.setPen(QPen(QColor(0xf5, 0x7c, 0x00), 2));
        for (int m : marks) {
            const int x = groove.left() + handle / 2
                + QStyle::sliderPositionFromValue(minimum(), maximum(), m, groove.width() - handle);
            p.drawLine(x, rect().top() + 1, x, rect().top() + 6);
            p.drawLine(x, rect().bottom() - 6, x, rect().bottom() - 1);
        }
    }
};
} // namespace

ReplayBar::ReplayBar(QWidget* parent)
    : QWidget(parent)
    , m_play(new QToolButton(this))
    , m_back(new QToolButton(this))
    , m_forward(new QToolButton(this))
    , m_slider(new MarkedSlider(this))
    , m_time(new QLabel(this))
    , m_speed(new QComboBox(this))
    , m_loop(new QCheckBox(tr("Loop"), this))
{
    setObjectName(QStringLiteral("replayBar"));
    m_back->setIcon(style()->standardIcon(QStyle::SP_MediaSeekBackward));
    m_back->setToolTip(tr("Back to before the previous event (Alt+Left)"));
    m_back->setAccessibleName(tr("Previous event"));
    m_back->setShortcut(QKeySequence(tr("Alt+Left")));
    m_forward->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
    m_forward->setToolTip(tr("On to the next event (Alt+Right)"));
    m_forward->setAccessibleName(tr("Next event"));
    m_forward->setShortcut(QKeySequence(tr("Alt+Right")));
    m_play->setShortcut(QKeySequence(tr("Ctrl+Space")));
    m_slider->setAccessibleName(tr("Replay position"));
    m_slider->setToolTip(tr("Drag or click to go anywhere in the capture"));
    m_slider->setRange(0, 0);
    m_time->setTextFormat(Qt::PlainText);
    m_time->setMinimumWidth(
        m_time->fontMetrics().horizontalAdvance(QStringLiteral("2026-12-01 00:00:00.000  +00:00:00.000")));
    for (const auto& [text, factor] : std::initializer_list<std::pair<QString, double>> { { tr("0.1x"), 0.1 },
             { tr("0.25x"), 0.25 }, { tr("0.5x"), 0.5 }, { tr("1x"), 1 }, { tr("2x"), 2 }, { tr("5x"), 5 },
             { tr("10x"), 10 }, { tr("100x"), 100 }, { tr("As fast as possible"), 0 } })
        m_speed->addItem(text, factor);
    m_speed->setCurrentIndex(3);
    m_speed->setAccessibleName(tr("Replay speed"));
    setPlaying(false);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(new QLabel(tr("Replay:"), this));
    layout->addWidget(m_back);
    layout->addWidget(m_play);
    layout->addWidget(m_forward);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_time);
    layout->addWidget(m_speed);
    layout->addWidget(m_loop);

    connect(m_play, &QToolButton::clicked, this, [this] {
        setPlaying(!m_playing);
        Q_EMIT playToggled(m_playing);
    });
    connect(m_back, &QToolButton::clicked, this, [this] { Q_EMIT stepRequested(-1); });
    connect(m_forward, &QToolButton::clicked, this, [this] { Q_EMIT stepRequested(+1); });
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this] { Q_EMIT speedChanged(speed()); });
    connect(m_loop, &QCheckBox::toggled, this, &ReplayBar::loopToggled);
    // while dragging only the time follows; the seek comes on release (or at once for clicks and keys)
    connect(m_slider, &QSlider::sliderMoved, this, [this](int ms) { showPosition(m_startUs + qint64(ms) * 1000); });
    connect(m_slider, &QSlider::sliderReleased, this, [this] { Q_EMIT seekRequested(position()); });
    connect(m_slider, &QSlider::actionTriggered, this, [this](int action) {
        if (action != QAbstractSlider::SliderMove)
            QMetaObject::invokeMethod(
                this, [this] { Q_EMIT seekRequested(position()); }, Qt::QueuedConnection);
    });
}

ReplayBar::~ReplayBar() = default;

void ReplayBar::setRange(qint64 startUs, qint64 endUs)
{
    m_startUs = startUs;
    m_endUs = std::max(startUs, endUs);
    const qint64 ms = (m_endUs - m_startUs + 999) / 1000;
    m_slider->setRange(0, int(std::min<qint64>(ms, std::numeric_limits<int>::max())));
    m_slider->setPageStep(std::max(1, m_slider->maximum() / 20));
    m_slider->setSingleStep(std::max(1, m_slider->maximum() / 200));
}

void ReplayBar::setPosition(qint64 us)
{
    if (!m_slider->isSliderDown()) {
        const QSignalBlocker block(m_slider);
        m_slider->setValue(int(std::clamp<qint64>((us - m_startUs) / 1000, 0, m_slider->maximum())));
    }
    showPosition(us);
}

qint64 ReplayBar::position() const { return m_startUs + qint64(m_slider->value()) * 1000; }

void ReplayBar::showPosition(qint64 us)
{
    const qint64 offset = std::max<qint64>(0, us - m_startUs);
    const QString elapsed = QStringLiteral("+%1:%2:%3.%4")
                                .arg(offset / 3600000000)
                                .arg(offset / 60000000 % 60, 2, 10, QLatin1Char('0'))
                                .arg(offset / 1000000 % 60, 2, 10, QLatin1Char('0'))
                                .arg(offset / 1000 % 1000, 3, 10, QLatin1Char('0'));
    m_time->setText(Timestamp::toIso8601(us).left(23).replace(u'T', u' ') + QStringLiteral("  ") + elapsed);
}

void ReplayBar::setPlaying(bool playing)
{
    m_playing = playing;
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_play->setToolTip(playing ? tr("Pause (Ctrl+Space)") : tr("Play (Ctrl+Space)"));
    m_play->setAccessibleName(playing ? tr("Pause") : tr("Play"));
}

void ReplayBar::setMarks(const std::vector<qint64>& timesUs)
{
    auto* slider = static_cast<MarkedSlider*>(m_slider);
    slider->marks.clear();
    for (qint64 t : timesUs)
        slider->marks.push_back(int(std::clamp<qint64>((t - m_startUs) / 1000, 0, m_slider->maximum())));
    slider->update();
}

double ReplayBar::speed() const { return m_speed->currentData().toDouble(); }

bool ReplayBar::loops() const { return m_loop->isChecked(); }
