// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QProgressBar;
class QToolButton;

/// How far a capture has been read, with a Cancel beside it, for a status bar. Hidden until the first
/// progress and again when reading ends.
class LoadProgress : public QWidget
{
    Q_OBJECT
public:
    explicit LoadProgress(QWidget* parent = nullptr);
    ~LoadProgress() override;

    /// `done` of `total` bytes read (total 0: the size is not known, the bar only says it is busy).
    void setProgress(qint64 done, qint64 total);

Q_SIGNALS:
    void cancelRequested();

private:
    QProgressBar* m_bar;
    QToolButton* m_cancel;
};
