// SPDX-License-Identifier: MIT
#include "startpage.h"

#include "busurl.h"
#include "connectdialog.h"
#include "urlredaction.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

StartPage::StartPage(QWidget* parent)
    : QWidget(parent)
    , m_recent(new QListWidget(this))
    , m_recentCaptures(new QListWidget(this))
{
    setObjectName(QStringLiteral("startPage"));
    auto* title = new QLabel(tr("<h1>EventScope</h1><p>Watch an event bus live: rates, chains, breakers, retries "
                                "and dead letters.</p>"),
        this);
    auto* demo = new QPushButton(tr("Start the demo bus"), this);
    demo->setToolTip(tr("A realistic workforce-management bus, with an incident, on this machine"));
    auto* connectButton = new QPushButton(tr("Connect to a bus..."), this);
    auto* open = new QPushButton(tr("Open a capture..."), this);
    open->setToolTip(tr("A recorded session, an NDJSON or JSON dump, or a browser's HAR file (Ctrl+O)"));
    for (QPushButton* b : { demo, connectButton, open })
        b->setMinimumHeight(36);
    m_recent->setAccessibleName(tr("Recent connections"));
    m_recent->setMaximumHeight(160);
    m_recentCaptures->setAccessibleName(tr("Recent captures"));
    m_recentCaptures->setMaximumHeight(160);
    auto* column = new QVBoxLayout;
    column->addWidget(title);
    column->addWidget(demo);
    column->addWidget(connectButton);
    column->addWidget(open);
    column->addWidget(new QLabel(tr("Recent connections:"), this));
    column->addWidget(m_recent);
    column->addWidget(new QLabel(tr("Recent captures:"), this));
    column->addWidget(m_recentCaptures);
    column->addStretch(1);
    auto* outer = new QHBoxLayout(this);
    outer->addStretch(1);
    outer->addLayout(column, 2);
    outer->addStretch(1);
    connect(demo, &QPushButton::clicked, this, &StartPage::demoRequested);
    connect(connectButton, &QPushButton::clicked, this, [this] { Q_EMIT connectRequested(QString()); });
    connect(open, &QPushButton::clicked, this, [this] { Q_EMIT openRequested(QString()); });
    connect(m_recentCaptures, &QListWidget::itemActivated, this,
        [this](QListWidgetItem* item) { Q_EMIT openRequested(item->data(Qt::UserRole).toString()); });
    connect(m_recent, &QListWidget::itemActivated, this,
        [this](QListWidgetItem* item) { Q_EMIT connectRequested(item->data(Qt::UserRole).toString()); });
}

StartPage::~StartPage() = default;

void StartPage::setRecent(const QStringList& urls)
{
    m_recent->clear();
    // shown for reading; the exact text is what a click connects to
    for (const QString& url : urls) {
        auto* item = new QListWidgetItem(UrlRedaction::readable(url), m_recent);
        item->setData(Qt::UserRole, url);
        item->setToolTip(url);
    }
}

void StartPage::setRecentCaptures(const QStringList& paths)
{
    m_recentCaptures->clear();
    for (const QString& path : paths) {
        auto* item = new QListWidgetItem(QFileInfo(path).fileName(), m_recentCaptures);
        item->setData(Qt::UserRole, path);
        item->setToolTip(path);
    }
}
