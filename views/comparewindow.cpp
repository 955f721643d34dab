// SPDX-License-Identifier: MIT
#include "comparewindow.h"

#include "background.h"
#include "comparisonmodel.h"
#include "differencefilter.h"
#include "session.h"
#include "sessioncomparison.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {
std::shared_ptr<Session> readWhole(const CompareWindow::ReadCapture& read, const QString& path, QString* error)
{
    Session::Config config;
    config.clock = Session::Clock::Recorded;
    config.memoryCapBytes = 0; // the figures compared are totals: nothing may be dropped before them
    config.smoothGrowth = false;
    auto session = std::make_shared<Session>(config);
    if (!read(*session, path, error))
        return nullptr;
    return session;
}
} // namespace

CompareWindow::CompareWindow(const QString& before, const QString& after, ReadCapture read, QWidget* parent)
    : QWidget(parent)
    , m_before(before)
    , m_after(after)
    , m_header(new QLabel(this))
    , m_model(new ComparisonModel(this))
    , m_sorted(new DifferenceFilter(
          [](const QAbstractItemModel* m, int row) {
              return static_cast<const ComparisonModel*>(m)->result().types[std::size_t(row)].differs();
          },
          this))
    , m_types(new QTableView(this))
    , m_breakers(new QTableWidget(0, 5, this))
    , m_onlyDifferences(new QCheckBox(tr("Only what differs"), this))
{
    setObjectName(QStringLiteral("compareWindow"));
    setWindowTitle(tr("EventScope: %1 vs %2").arg(QFileInfo(before).fileName(), QFileInfo(after).fileName()));
    setWindowIcon(QIcon(QStringLiteral(":/eventscope/eventscope.png")));
    m_header->setText(tr("Reading %1 and %2...").arg(before, after));
    m_header->setTextFormat(Qt::PlainText);
    m_header->setWordWrap(true);
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(ComparisonModel::SortRole);
    m_types->setModel(m_sorted);
    m_types->setSortingEnabled(true);
    m_types->sortByColumn(-1, Qt::AscendingOrder); // the model's order: what differs first
    m_types->verticalHeader()->hide();
    m_types->setAccessibleName(tr("Event types compared"));
    m_types->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_breakers->setHorizontalHeaderLabels(
        { tr("Breaker"), tr("Transitions A"), tr("Transitions B"), tr("Open A (s)"), tr("Open B (s)") });
    m_breakers->verticalHeader()->hide();
    m_breakers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_breakers->setAccessibleName(tr("Breakers compared"));
    m_breakers->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto* legend = new QLabel(tr("Red: more failures, retries or dead letters. Green: fewer. Amber: a rate that moved "
                                 "by a quarter or more. Each with its change in words."),
        this);
    legend->setWordWrap(true);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_types);
    split->addWidget(m_breakers);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(m_onlyDifferences);
    layout->addWidget(split, 1);
    layout->addWidget(legend);
    connect(m_onlyDifferences, &QCheckBox::toggled, this,
        [this](bool on) { static_cast<DifferenceFilter*>(m_sorted)->setOnly(on); });
    resize(1300, 800);

    // both files on a thread of their own; the result comes back to this window if it still exists
    struct Read
    {
        std::shared_ptr<Session> a, b;
        QString error;
    };
    BackgroundJobs::run(
        this,
        [read = std::move(read), before, after] {
            Read r;
            r.a = readWhole(read, before, &r.error);
            r.b = r.a ? readWhole(read, after, &r.error) : nullptr;
            return r;
        },
        [this](Read r) { showResult(r.a, r.b, r.error); });
}

CompareWindow::~CompareWindow() = default;

void CompareWindow::showResult(std::shared_ptr<Session> a, std::shared_ptr<Session> b, const QString& error)
{
    m_ready = true;
    if (!a || !b) {
        m_error = error;
        m_header->setText(tr("Cannot compare: %1").arg(error));
        Q_EMIT ready();
        return;
    }
    const SessionComparison::Result result = SessionComparison::compare(*a, *b);
    m_model->setResult(result);
    int differing = 0;
    for (const SessionComparison::TypeRow& r : result.types)
        differing += r.differs() ? 1 : 0;
    m_header->setText(tr("A (before): %1: %L2 events over %3 s\nB (after): %4: %L5 events over %6 s\n"
                         "%7 of %8 event types differ")
                          .arg(m_before)
                          .arg(a->eventCount())
                          .arg(result.spanA, 0, 'f', 1)
                          .arg(m_after)
                          .arg(b->eventCount())
                          .arg(result.spanB, 0, 'f', 1)
                          .arg(differing)
                          .arg(result.types.size()));
    m_breakers->setRowCount(int(result.breakers.size()));
    for (std::size_t i = 0; i < result.breakers.size(); ++i) {
        const SessionComparison::BreakerRow& r = result.breakers[i];
        const int row = int(i);
        m_breakers->setItem(row, 0, new QTableWidgetItem(r.name));
        const auto put = [&](int column, const SessionComparison::Figure& f, bool after, int decimals) {
            QString text = QString::number(after ? f.b : f.a, 'f', decimals);
            if (after && f.differs)
                text += QStringLiteral("  (%1)").arg(SessionComparison::change(f));
            auto* item = new QTableWidgetItem(text);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (after && f.differs) {
                item->setBackground(f.b > f.a ? QColor(0xef, 0x9a, 0x9a) : QColor(0xa5, 0xd6, 0xa7));
                item->setForeground(Qt::black);
            }
            m_breakers->setItem(row, column, item);
        };
        put(1, r.transitions, false, 0);
        put(2, r.transitions, true, 0);
        put(3, r.openSeconds, false, 1);
        put(4, r.openSeconds, true, 1);
    }
    Q_EMIT ready();
}
