// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;
class QToolButton;

/// The replay timeline of a capture: play/pause, speed (0.1x to 100x, or as fast as possible), a
/// position to drag or click, step to the previous or next event, loop. It only shows and asks; the
/// capture window does the replaying.
class ReplayBar : public QWidget
{
    Q_OBJECT
public:
    explicit ReplayBar(QWidget* parent = nullptr);
    ~ReplayBar() override;

    /// The capture's time range (event time, µs since the epoch).
    void setRange(qint64 startUs, qint64 endUs);
    /// Moves the position without asking for a seek.
    void setPosition(qint64 us);
    qint64 position() const;
    void setPlaying(bool playing);
    bool isPlaying() const { return m_playing; }
    /// Replay speed as a factor of real time; 0: as fast as possible.
    double speed() const;
    bool loops() const;
    /// Bookmarks and comments, drawn on the timeline.
    void setMarks(const std::vector<qint64>& timesUs);

    QSlider* slider() const { return m_slider; }

Q_SIGNALS:
    void playToggled(bool playing);
    void seekRequested(qint64 us);
    /// -1: back to before the previous event, +1: on to the next one.
    void stepRequested(int direction);
    void speedChanged(double factor);
    void loopToggled(bool loops);

private:
    void showPosition(qint64 us);

    QToolButton* m_play;
    QToolButton* m_back;
    QToolButton* m_forward;
    QSlider* m_slider;
    QLabel* m_time;
    QComboBox* m_speed;
    QCheckBox* m_loop;
    qint64 m_startUs = 0;
    qint64 m_endUs = 0;
    bool m_playing = false;
};
