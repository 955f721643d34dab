// SPDX-License-Identifier: MIT
#include "healthboard.h"

#include "healthsortproxy.h"
#include "printable.h"
#include "session.h"
#include "sparklinedelegate.h"
#include "tablesetup.h"
#include "typestatsmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDataStream>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

HealthBoard::HealthBoard(const Session& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new TypeStatsModel(session, this))
    , m_proxy(new HealthSortProxy(this))
    , m_table(new QTableView(this))
    , m_filter(new QLineEdit(this))
    , m_domain(new QComboBox(this))
    , m_group(new QCheckBox(tr("Group by domain"), this))
{
    m_filter->setPlaceholderText(tr("Filter types by name"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter event types"));
    m_domain->addItem(tr("All domains"), QString());
    m_domain->setAccessibleName(tr("Domain"));
    m_domain->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_domain);
    bar->addWidget(m_group);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    m_proxy->setSourceModel(m_model);
    m_table->setModel(m_proxy);
    m_table->setObjectName(QStringLiteral("healthTable"));
    m_table->setAccessibleName(tr("Health board"));
    setUpTable(m_table, 8);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(TypeStatsModel::FailedPercentColumn, Qt::DescendingOrder);
    m_table->setAlternatingRowColors(true);
    m_table->setItemDelegateForColumn(TypeStatsModel::TrendColumn, new SparklineDelegate(this));
    QHeaderView* header = m_table->horizontalHeader();
    sizeColumnsToTypicalContent(m_table);
    header->resizeSection(TypeStatsModel::TrendColumn, m_table->fontMetrics().horizontalAdvance(QLatin1Char('0')) * 18);
    header->setStretchLastSection(true);
    // the domain is the type's prefix: its own column is there for sorting and grouping, hidden by default
    m_table->setColumnHidden(TypeStatsModel::DomainColumn, true);
    connect(m_group, &QCheckBox::toggled, this,
        [this](bool on) { m_table->setColumnHidden(TypeStatsModel::DomainColumn, !on); });

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &HealthSortProxy::setNameFilter);
    connect(m_domain, &QComboBox::currentIndexChanged, this,
        [this](int i) { m_proxy->setDomain(m_domain->itemData(i).toString()); });
    connect(m_group, &QCheckBox::toggled, m_proxy, &HealthSortProxy::setGroupByDomain);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        Q_EMIT typeActivated(
            index.siblingAtColumn(TypeStatsModel::TypeColumn).data(TypeStatsModel::SortRole).toString());
    });
}

HealthBoard::~HealthBoard() = default;

void HealthBoard::reset() { m_model->reset(); }

void HealthBoard::refresh(qint64 nowUs)
{
    m_model->refresh(nowUs);
    updateDomains();
    // the schema column shows once payloads are checked
    const bool schemas = m_session.schemaRegistry() || m_session.schemas().anyChecked();
    if (m_table->isColumnHidden(TypeStatsModel::SchemaPercentColumn) == schemas)
        m_table->setColumnHidden(TypeStatsModel::SchemaPercentColumn, !schemas);
}

void HealthBoard::updateDomains()
{
    const StringPool& domains = m_session.rates().domains();
    if (m_domain->count() - 1 >= int(domains.size()) - 1)
        return;
    QStringList names;
    for (std::size_t d = 1; d < domains.size(); ++d)
        names << domains.string(quint16(d));
    names.sort();
    const QString current = m_domain->currentData().toString();
    m_domain->blockSignals(true);
    while (m_domain->count() > 1)
        m_domain->removeItem(1);
    for (const QString& n : std::as_const(names))
        m_domain->addItem(Printable::forDisplay(n, 60), n);
    m_domain->setCurrentIndex(std::max(0, m_domain->findData(current)));
    m_domain->blockSignals(false);
}

void HealthBoard::selectType(int type)
{
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex i = m_proxy->index(row, 0);
        if (i.data(TypeStatsModel::TypeIdRole).toInt() == type) {
            m_table->selectRow(row);
            m_table->scrollTo(i);
            return;
        }
    }
}

QByteArray HealthBoard::saveState() const
{
    QByteArray out;
    QDataStream s(&out, QIODevice::WriteOnly);
    s << quint8(1) << m_table->horizontalHeader()->saveState() << m_filter->text() << m_domain->currentData().toString()
      << m_group->isChecked();
    return out;
}

void HealthBoard::restoreState(const QByteArray& state)
{
    QDataStream s(state);
    quint8 version = 0;
    QByteArray header;
    QString filter, domain;
    bool group = false;
    s >> version >> header >> filter >> domain >> group;
    if (s.status() != QDataStream::Ok || version != 1)
        return; // settings from elsewhere: keep the defaults
    m_table->horizontalHeader()->restoreState(header);
    m_filter->setText(filter);
    m_group->setChecked(group);
    if (!domain.isEmpty()) {
        m_domain->addItem(domain, domain);
        m_domain->setCurrentIndex(m_domain->count() - 1);
    }
}
