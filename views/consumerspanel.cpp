// SPDX-License-Identifier: MIT
#include "consumerspanel.h"

#include "consumermodel.h"
#include "emptystate.h"
#include "printable.h"
#include "serieschartview.h"
#include "session.h"
#include "tablesetup.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <limits>

ConsumersPanel::ConsumersPanel(const Session& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new ConsumerModel(session, this))
    , m_sorted(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_chart(new SeriesChartView(tr("Consumer lag (s)"), this))
{
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(ConsumerModel::SortRole);
    m_table->setModel(m_sorted);
    m_table->setObjectName(QStringLiteral("consumers"));
    m_table->setAccessibleName(tr("Durable consumers"));
    setUpTable(m_table, 4);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ConsumerModel::LagColumn, Qt::DescendingOrder);
    sizeColumnsToTypicalContent(m_table);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_empty = new EmptyState(m_table, tr("No consumers"));
    m_empty->setReason(tr("Read a JetStream stream (nats+ws://HOST:PORT?stream=NAME) to see its durable consumers: "
                          "each one's lag, pending and redelivered messages, once a second."));
    m_chart->setObjectName(QStringLiteral("consumerLag"));
    m_chart->setLegendBeside(true);
    m_chart->setEmptyText(tr("No consumer reported yet"));

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_chart);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    split->setSizes({ 150, 350 }); // a few consumers, and room for their lines
    m_chart->setMinimumHeight(180);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(split);
}

ConsumersPanel::~ConsumersPanel() = default;

void ConsumersPanel::reset()
{
    m_model->reset();
    m_drawnChanges = 0;
    m_chart->setData({}, 0, 0);
    m_chart->setEmptyText(tr("No consumer reported yet"));
}

void ConsumersPanel::refresh()
{
    const ConsumerTracker& tracker = m_session.consumers();
    if (tracker.changes() == m_drawnChanges)
        return; // nothing new: a sample comes once a second
    m_drawnChanges = tracker.changes();
    m_model->refresh();
    const auto& consumers = tracker.consumers();
    if (consumers.empty())
        return;
    // the furthest behind, drawn over the last WindowMs of samples
    std::vector<std::size_t> order(consumers.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(),
        [&](std::size_t a, std::size_t b) { return consumers[a].last.lagUs > consumers[b].last.lagUs; });
    if (order.size() > std::size_t(MaxLines))
        order.resize(std::size_t(MaxLines));
    qint64 newestMs = 0;
    qint64 oldestMs = std::numeric_limits<qint64>::max();
    for (const ConsumerTracker::Consumer& c : consumers) {
        newestMs = std::max(newestMs, c.last.timeUs / 1000);
        if (!c.history.empty())
            oldestMs = std::min(oldestMs, c.history.front().timeUs / 1000);
    }
    // the samples there are, up to the last WindowMs of them
    const qint64 fromMs = std::max(oldestMs, newestMs - WindowMs);
    std::vector<SeriesChartView::Series> series;
    for (const std::size_t i : order) {
        const ConsumerTracker::Consumer& c = consumers[i];
        SeriesChartView::Series s;
        s.name = Printable::forDisplay(std::string_view(c.last.name), 60);
        for (const ConsumerTracker::Point& p : c.history)
            if (p.timeUs / 1000 >= fromMs && p.lagUs >= 0)
                s.points.append(QPointF(double(p.timeUs / 1000), double(p.lagUs) / 1e6));
        series.push_back(std::move(s));
    }
    m_chart->setEmptyText(QString());
    m_chart->setData(series, std::min(fromMs, newestMs - 1000), newestMs);
}

void ConsumersPanel::selectConsumer(int consumer)
{
    m_model->refresh();
    if (consumer < 0 || consumer >= m_model->rowCount())
        return;
    const QModelIndex i = m_sorted->mapFromSource(m_model->index(consumer, 0));
    m_table->setCurrentIndex(i);
    m_table->scrollTo(i);
}
