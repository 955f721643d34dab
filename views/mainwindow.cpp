// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "session.h"
#include "typestatsmodel.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

MainWindow::MainWindow(Session& session, QWidget* parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_typeModel(new TypeStatsModel(session, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_totals(new QLabel(this))
    , m_breakers(new QLabel(this))
    , m_connection(new QLabel(this))
    , m_refreshTimer(new QTimer(this))
{
    setWindowTitle(tr("EventScope"));
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    QFont big = m_totals->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    m_totals->setFont(big);
    m_totals->setTextFormat(Qt::PlainText);
    m_breakers->setTextFormat(Qt::RichText);
    m_totals->setAccessibleName(tr("Session totals"));
    m_breakers->setAccessibleName(tr("Circuit breakers"));
    layout->addWidget(m_totals);
    layout->addWidget(m_breakers);
    m_proxy->setSourceModel(m_typeModel);
    m_proxy->setSortRole(TypeStatsModel::SortRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(TypeStatsModel::CountColumn, Qt::DescendingOrder);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setSectionResizeMode(TypeStatsModel::TypeColumn, QHeaderView::Stretch);
    m_table->setAccessibleName(tr("Event types"));
    layout->addWidget(m_table, 1);
    setCentralWidget(central);
    statusBar()->addWidget(m_connection);
    resize(1280, 800);

    m_refreshTimer->setInterval(500);
    connect(m_refreshTimer, &QTimer::timeout, this, &MainWindow::refresh);
    m_refreshTimer->start();
    refresh();
}

MainWindow::~MainWindow() = default;

void MainWindow::ingest(const std::shared_ptr<DecodedBatch>& batch)
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_session.ingest(*batch);
}

void MainWindow::setConnectionText(const QString& text) { m_connection->setText(text); }

void MainWindow::refresh()
{
    const qint64 nowUs = m_session.config().timeBasis == Session::TimeBasis::ReceiveTime
        ? QDateTime::currentMSecsSinceEpoch() * 1000
        : m_session.lastEventTimeUs();
    m_typeModel->refresh(nowUs);
    const RateSeries& all = m_session.rates().all();
    m_totals->setText(tr("%1 events   %2/s now   %3/s over 10 s   %4 chains   %5 retries   %6 dead letters   "
                         "%7 failures   %8 malformed   %9 gaps")
                          .arg(m_session.eventCount())
                          .arg(all.rate(nowUs / 1000000, 1), 0, 'f', 0)
                          .arg(all.rate(nowUs / 1000000, 10), 0, 'f', 0)
                          .arg(m_session.chains().liveCount())
                          .arg(m_session.retries().count(RetryTracker::Retry))
                          .arg(m_session.retries().count(RetryTracker::DeadLetter))
                          .arg(m_session.retries().count(RetryTracker::Failure))
                          .arg(m_session.malformedCount())
                          .arg(m_session.gaps().totalGaps()));
    QStringList parts;
    for (std::size_t i = 0; i < m_session.breakers().size(); ++i) {
        const Breaker& b = m_session.breakers().at(i);
        const auto state = b.state();
        // state in words and in colour, never colour alone
        const QString colour = state == BreakerTransition::Open ? QStringLiteral("#c62828")
            : state == BreakerTransition::HalfOpen              ? QStringLiteral("#ef6c00")
                                                                : QStringLiteral("#2e7d32");
        parts << QStringLiteral("<b>%1</b>: <span style=\"color:%2\"><b>%3</b></span> (%4 transitions)")
                     .arg(QString::fromStdString(b.name).toHtmlEscaped(), colour,
                         BreakerTransition::stateName(state).toUpper())
                     .arg(b.transitionCount);
    }
    m_breakers->setText(parts.isEmpty() ? tr("Circuit breakers: none reported yet")
                                        : tr("Circuit breakers: ") + parts.join(QStringLiteral(" &nbsp; ")));
}
