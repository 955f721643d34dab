// SPDX-License-Identifier: MIT
#include "loadprogress.h"

#include <QHBoxLayout>
#include <QProgressBar>
#include <QToolButton>
#include <algorithm>

LoadProgress::LoadProgress(QWidget* parent)
    : QWidget(parent)
    , m_bar(new QProgressBar(this))
    , m_cancel(new QToolButton(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_bar->setAccessibleName(tr("Reading the capture"));
    m_bar->setMaximumWidth(220);
    layout->addWidget(m_bar);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop reading the capture; what was read so far stays"));
    layout->addWidget(m_cancel);
    connect(m_cancel, &QToolButton::clicked, this, &LoadProgress::cancelRequested);
    hide();
}

LoadProgress::~LoadProgress() = default;

void LoadProgress::setProgress(qint64 done, qint64 total)
{
    m_bar->setRange(0, total > 0 ? 1000 : 0);
    if (total > 0)
        m_bar->setValue(int(std::clamp<qint64>(done * 1000 / total, 0, 1000)));
    m_bar->setFormat(total > 0 ? tr("Reading %p%") : tr("Reading..."));
    show();
}
