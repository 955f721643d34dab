// SPDX-License-Identifier: MIT
#include "schemapanel.h"

#include "emptystate.h"
#include "eventfilter.h"
#include "jsonschema.h"
#include "printable.h"
#include "schemamodel.h"
#include "schemaregistry.h"
#include "session.h"
#include "tablesetup.h"

#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

SchemaPanel::SchemaPanel(const Session& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_types(new SchemaTypeModel(session, this))
    , m_rules(new SchemaRuleModel(session, this))
    , m_status(new QLabel(this))
    , m_typeTable(new QTableView(this))
    , m_ruleTable(new QTableView(this))
    , m_rulesTitle(new QLabel(this))
    , m_changes(new ShapeChangeModel(session, this))
    , m_changeTable(new QTableView(this))
    , m_tabs(new QTabWidget(this))
{
    m_status->setObjectName(QStringLiteral("schemaStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);

    auto* sortedTypes = new QSortFilterProxyModel(this);
    sortedTypes->setSourceModel(m_types);
    sortedTypes->setSortRole(SchemaTypeModel::SortRole);
    m_typeTable->setModel(sortedTypes);
    m_typeTable->setObjectName(QStringLiteral("schemaTypes"));
    m_typeTable->setAccessibleName(tr("Schema checks per event type"));
    setUpTable(m_typeTable, 4);
    m_typeTable->setSortingEnabled(true);
    m_typeTable->sortByColumn(SchemaTypeModel::ViolatingColumn, Qt::DescendingOrder);
    sizeColumnsToTypicalContent(m_typeTable);
    m_typeTable->horizontalHeader()->setStretchLastSection(true);

    auto* sortedRules = new QSortFilterProxyModel(this);
    sortedRules->setSourceModel(m_rules);
    sortedRules->setSortRole(SchemaRuleModel::SortRole);
    m_ruleTable->setModel(sortedRules);
    m_ruleTable->setObjectName(QStringLiteral("schemaRules"));
    m_ruleTable->setAccessibleName(tr("Rules broken"));
    setUpTable(m_ruleTable, 4);
    m_ruleTable->setSortingEnabled(true);
    m_ruleTable->sortByColumn(SchemaRuleModel::EventsColumn, Qt::DescendingOrder);
    sizeColumnsToTypicalContent(m_ruleTable);
    m_ruleTable->horizontalHeader()->setStretchLastSection(true);

    m_empty = new EmptyState(m_typeTable, tr("No schemas loaded"));
    m_empty->setReason(tr("Load a folder of JSON Schema files, one per event type (TYPE.schema.json), to "
                          "check every payload against its type's contract."));
    m_empty->setAction(tr("Load schemas..."));
    connect(m_empty, &EmptyState::actionTriggered, this, &SchemaPanel::loadRequested);

    auto* lower = new QWidget(this);
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(m_rulesTitle);
    lowerLayout->addWidget(m_ruleTable);
    auto* sortedChanges = new QSortFilterProxyModel(this);
    sortedChanges->setSourceModel(m_changes);
    sortedChanges->setSortRole(ShapeChangeModel::SortRole);
    m_changeTable->setModel(sortedChanges);
    m_changeTable->setObjectName(QStringLiteral("shapeChanges"));
    m_changeTable->setAccessibleName(tr("Shape changes"));
    setUpTable(m_changeTable, 4);
    m_changeTable->setSortingEnabled(true);
    m_changeTable->sortByColumn(ShapeChangeModel::TimeColumn, Qt::DescendingOrder);
    sizeColumnsToTypicalContent(m_changeTable);
    m_changeTable->horizontalHeader()->setStretchLastSection(true);
    auto* noChanges = new EmptyState(m_changeTable, tr("No shape changes"));
    noChanges->setReason(tr("Each type's payload shape is learned from its first events; a field added, no "
                            "longer sent, or with a new type shows here."));
    m_tabs->addTab(lower, tr("Rules broken"));
    m_tabs->addTab(m_changeTable, tr("Shape changes"));
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_typeTable);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);

    connect(m_typeTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            const QVariant type = current.data(SchemaTypeModel::TypeRole);
            m_rules->setType(type.isValid() ? type.toInt() : -1);
            updateStatus();
        });
    const auto typeActivated = [this](const QModelIndex& i) {
        const QVariant type = i.data(SchemaTypeModel::TypeRole);
        if (!type.isValid())
            return;
        const std::string_view name = m_session.types().view(quint16(type.toInt()));
        Q_EMIT eventsRequested(
            EventFilter::equals(QStringLiteral("type"), QString::fromUtf8(name.data(), qsizetype(name.size())))
                + QStringLiteral(" && schema ~ \"*\""),
            0xFFFFFFFFu);
    };
    connect(m_typeTable, &QTableView::doubleClicked, this, typeActivated);
    connect(m_typeTable, &QTableView::activated, this, typeActivated);
    const auto ruleActivated = [this](const QModelIndex& i) {
        const QVariant key = i.data(SchemaRuleModel::KeyRole);
        if (!key.isValid())
            return;
        const QVariant example = i.data(SchemaRuleModel::ExampleEventRole);
        Q_EMIT eventsRequested(EventFilter::equals(QStringLiteral("schema"), key.toString()),
            example.isValid() ? example.toUInt() : 0xFFFFFFFFu);
    };
    connect(m_ruleTable, &QTableView::doubleClicked, this, ruleActivated);
    connect(m_ruleTable, &QTableView::activated, this, ruleActivated);
    const auto changeActivated = [this](const QModelIndex& i) {
        const QVariant event = i.data(ShapeChangeModel::EventRole);
        const QVariant type = i.data(ShapeChangeModel::TypeRole);
        if (!event.isValid() || !type.isValid())
            return;
        const std::string_view name = m_session.types().view(quint16(type.toUInt()));
        Q_EMIT eventsRequested(
            EventFilter::equals(QStringLiteral("type"), QString::fromUtf8(name.data(), qsizetype(name.size()))),
            event.toUInt());
    };
    connect(m_changeTable, &QTableView::doubleClicked, this, changeActivated);
    connect(m_changeTable, &QTableView::activated, this, changeActivated);
    updateStatus();
}

SchemaPanel::~SchemaPanel() = default;

void SchemaPanel::showChanges() { m_tabs->setCurrentWidget(m_changeTable); }

void SchemaPanel::refresh()
{
    m_types->refresh();
    m_rules->refresh();
    const int changes = m_changes->rowCount();
    m_changes->refresh();
    if (m_changes->rowCount() != changes) {
        m_tabs->setTabText(1, tr("Shape changes (%1)").arg(m_changes->rowCount()));
        // without schemas, the changes are what there is to see
        if (changes == 0 && !m_session.schemaRegistry())
            showChanges();
    }
    // the worst type is chosen for the user until they choose
    if (!m_typeTable->currentIndex().isValid() && m_typeTable->model()->rowCount() > 0) {
        const QModelIndex top = m_typeTable->model()->index(0, 0);
        if (top.data(SchemaTypeModel::ViolatingRole).toDouble() > 0)
            m_typeTable->setCurrentIndex(top);
    }
    updateStatus();
}

void SchemaPanel::reset()
{
    m_types->reset();
    m_changes->reset();
    m_tabs->setTabText(1, tr("Shape changes"));
    m_rules->setType(-1);
    updateStatus();
}

void SchemaPanel::setProblems(const QList<SchemaProblem>& problems)
{
    m_problems.clear();
    for (const SchemaProblem& p : problems)
        m_problems << p.describe();
    updateStatus();
}

void SchemaPanel::selectType(int type)
{
    m_types->refresh();
    const int row = m_types->rowOf(type);
    if (row < 0)
        return;
    const auto* proxy = static_cast<const QSortFilterProxyModel*>(m_typeTable->model());
    const QModelIndex i = proxy->mapFromSource(m_types->index(row, 0));
    m_typeTable->setCurrentIndex(i);
    m_typeTable->scrollTo(i);
}

void SchemaPanel::updateStatus()
{
    const auto& registry = m_session.schemaRegistry();
    const bool loaded = registry || m_session.schemas().anyChecked();
    m_empty->setWhat(loaded ? tr("No events checked yet") : tr("No schemas loaded"));
    m_empty->setAction(loaded ? QString() : tr("Load schemas..."));
    QString status;
    if (registry) {
        const qsizetype types = registry->types().size();
        status = types == 1 ? tr("Schemas from %1: 1 type").arg(registry->path())
                            : tr("Schemas from %1: %2 types").arg(registry->path(), QLocale().toString(types));
        if (m_problems.size() == 1)
            status += QLatin1Char(' ') + tr("(1 file left out: hover for why)");
        else if (!m_problems.isEmpty())
            status += QLatin1Char(' ') + tr("(%1 files left out: hover for why)").arg(m_problems.size());
    }
    const SchemaTracker& t = m_session.schemas();
    if (t.checked())
        status += (status.isEmpty() ? QString() : QStringLiteral("  ·  "))
            + tr("%1 of %2 checked events violate their schema")
                  .arg(QLocale().toString(t.violating()), QLocale().toString(t.checked()));
    m_status->setText(Printable::shown(status, Qt::DisplayRole).toString());
    m_status->setToolTip(Printable::shown(m_problems.join(QLatin1Char('\n')), Qt::ToolTipRole).toString());
    m_status->setVisible(!status.isEmpty());
    const int type = m_rules->type();
    if (type < 0) {
        m_rulesTitle->setText(tr("Select a type for the rules its payloads broke"));
    } else {
        const std::string_view name = m_session.types().view(quint16(type));
        m_rulesTitle->setText(Printable::shown(
            tr("Rules broken by %1").arg(QString::fromUtf8(name.data(), qsizetype(name.size()))), Qt::DisplayRole)
                                  .toString());
    }
}
