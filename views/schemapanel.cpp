// SPDX-License-Identifier: MIT
#include "schemapanel.h"

#include "emptystate.h"
#include "eventfilter.h"
#include "jsonschema.h"
#include "printable.h"
#include "schemamodel.h"
#include "schemaregistry.h"
#include "session.h"
#include "shapereport.h"
#include "shapetimeline.h"
#include "tablesetup.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
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
    , m_timeline(new ShapeTimeline(session, this))
    , m_changesPage(new QWidget(this))
    , m_fields(new ShapeFieldModel(session, this))
    , m_fieldTable(new QTableView(this))
    , m_shapeType(new QComboBox(this))
    , m_exportShape(new QPushButton(tr("Export as JSON Schema..."), this))
    , m_exportShapes(new QPushButton(tr("Export all..."), this))
    , m_shapePage(new QWidget(this))
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
    // the changes drawn over time above their list
    m_timeline->setObjectName(QStringLiteral("shapeTimeline"));
    // (as tall as its lanes, up to a limit past which it scrolls)
    m_timelineScroll = new QScrollArea(m_changesPage);
    m_timelineScroll->setWidget(m_timeline);
    m_timelineScroll->setWidgetResizable(true);
    m_timelineScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_timelineScroll->setFrameShape(QFrame::NoFrame);
    auto* changes = new QVBoxLayout(m_changesPage);
    changes->setContentsMargins(0, 0, 0, 0);
    changes->addWidget(m_timelineScroll);
    changes->addWidget(m_changeTable, 1);
    fitTimeline();

    // a type's learned shape, and its export as a schema to start a registry with
    auto* sortedFields = new QSortFilterProxyModel(this);
    sortedFields->setSourceModel(m_fields);
    sortedFields->setSortRole(ShapeFieldModel::SortRole);
    m_fieldTable->setModel(sortedFields);
    m_fieldTable->setObjectName(QStringLiteral("shapeFields"));
    m_fieldTable->setAccessibleName(tr("Learned payload shape"));
    setUpTable(m_fieldTable, 4);
    m_fieldTable->setSortingEnabled(true);
    m_fieldTable->sortByColumn(-1, Qt::AscendingOrder); // the order the fields came in
    sizeColumnsToTypicalContent(m_fieldTable);
    m_fieldTable->horizontalHeader()->setStretchLastSection(true);
    auto* noFields = new EmptyState(m_fieldTable, tr("No shape learned yet"));
    noFields->setReason(tr("Pick a type: its payloads' fields are learned from the events as they come."));
    m_shapeType->setObjectName(QStringLiteral("shapeType"));
    m_shapeType->setAccessibleName(tr("Event type whose shape is shown"));
    m_shapeType->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_shapeType->setMinimumContentsLength(24);
    m_exportShape->setToolTip(tr("Write this type's learned shape as a JSON Schema file (draft 7) to start a "
                                 "registry with: review it before use"));
    m_exportShapes->setToolTip(tr("Write every type's learned shape into a folder, one TYPE.schema.json a "
                                  "type: a registry to load with File > Load schemas"));
    auto* shapeBar = new QHBoxLayout;
    shapeBar->setContentsMargins(0, 0, 0, 0);
    shapeBar->addWidget(new QLabel(tr("Type:"), m_shapePage));
    shapeBar->addWidget(m_shapeType);
    shapeBar->addStretch(1);
    shapeBar->addWidget(m_exportShape);
    shapeBar->addWidget(m_exportShapes);
    auto* shapeLayout = new QVBoxLayout(m_shapePage);
    shapeLayout->setContentsMargins(0, 2, 0, 0);
    shapeLayout->addLayout(shapeBar);
    shapeLayout->addWidget(m_fieldTable, 1);

    m_tabs->addTab(lower, tr("Rules broken"));
    m_tabs->addTab(m_changesPage, tr("Shape changes"));
    m_tabs->addTab(m_shapePage, tr("Learned shapes"));
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
            if (type.isValid())
                followType(type.toInt());
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
    connect(m_changeTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            const QVariant type = current.data(ShapeChangeModel::TypeRole);
            if (type.isValid())
                followType(type.toInt());
        });
    connect(m_timeline, &ShapeTimeline::typeSelected, this, &SchemaPanel::followType);
    connect(m_timeline, &ShapeTimeline::changeSelected, this, [this](int type, int change) {
        const int row = m_changes->rowOf(quint16(type), quint32(change));
        if (row < 0)
            return;
        const auto* proxy = static_cast<const QSortFilterProxyModel*>(m_changeTable->model());
        const QModelIndex i = proxy->mapFromSource(m_changes->index(row, 0));
        m_changeTable->setCurrentIndex(i);
        m_changeTable->scrollTo(i);
    });
    connect(m_timeline, &ShapeTimeline::changeActivated, this, [this, changeActivated](int type, int change) {
        const int row = m_changes->rowOf(quint16(type), quint32(change));
        if (row >= 0)
            changeActivated(m_changes->index(row, 0));
    });
    connect(m_shapeType, &QComboBox::currentIndexChanged, this, [this](int index) {
        const QVariant type = m_shapeType->itemData(index);
        m_fields->setType(type.isValid() ? type.toInt() : -1);
        m_timeline->setSelectedType(type.isValid() ? type.toInt() : -1);
        m_exportShape->setEnabled(type.isValid());
    });
    connect(m_exportShape, &QPushButton::clicked, this, &SchemaPanel::askExportShape);
    connect(m_exportShapes, &QPushButton::clicked, this, &SchemaPanel::askExportShapes);
    connect(m_fieldTable, &QTableView::doubleClicked, this, [this](const QModelIndex& i) {
        const QVariant event = i.data(ShapeFieldModel::EventRole);
        if (event.isValid() && m_fields->type() >= 0) {
            const std::string_view name = m_session.types().view(quint16(m_fields->type()));
            Q_EMIT eventsRequested(
                EventFilter::equals(QStringLiteral("type"), QString::fromUtf8(name.data(), qsizetype(name.size()))),
                event.toUInt());
        }
    });
    m_exportShape->setEnabled(false);
    m_exportShapes->setEnabled(false);
    updateStatus();
}

SchemaPanel::~SchemaPanel() = default;

void SchemaPanel::showChanges() { m_tabs->setCurrentWidget(m_changesPage); }

void SchemaPanel::showShape(int type)
{
    updateShapeTypes();
    followType(type);
    m_tabs->setCurrentWidget(m_shapePage);
}

void SchemaPanel::fitTimeline() { m_timelineScroll->setFixedHeight(std::min(m_timeline->sizeHint().height(), 180)); }

void SchemaPanel::followType(int type)
{
    m_timeline->setSelectedType(type);
    const int item = m_shapeType->findData(type);
    if (item >= 0)
        m_shapeType->setCurrentIndex(item);
}

void SchemaPanel::updateShapeTypes()
{
    // the types whose shape is learned, by name; the one shown stays
    const auto& types = m_session.shapes().types();
    std::vector<quint16> learned;
    for (std::size_t t = 0; t < types.size(); ++t)
        if (types[t].events)
            learned.push_back(quint16(t));
    m_exportShapes->setEnabled(!learned.empty());
    if (int(learned.size()) == m_shapeType->count())
        return;
    std::sort(learned.begin(), learned.end(),
        [&](quint16 a, quint16 b) { return m_session.types().view(a) < m_session.types().view(b); });
    const QVariant current = m_shapeType->currentData();
    const QSignalBlocker block(m_shapeType);
    m_shapeType->clear();
    for (const quint16 t : learned)
        m_shapeType->addItem(Printable::forDisplay(m_session.types().view(t), 120), int(t));
    const int keep = current.isValid() ? m_shapeType->findData(current) : -1;
    m_shapeType->setCurrentIndex(keep >= 0 ? keep : -1);
    if (keep < 0 && current.isValid()) {
        m_fields->setType(-1);
        m_exportShape->setEnabled(false);
    }
}

bool SchemaPanel::exportShape(const QString& file, QString* error)
{
    const QVariant type = m_shapeType->currentData();
    if (!type.isValid()) {
        if (error)
            *error = tr("No type is chosen");
        return false;
    }
    return ShapeReport::writeSchema(m_session, quint16(type.toInt()), file, error);
}

int SchemaPanel::exportShapes(const QString& dir, QString* error)
{
    return ShapeReport::exportSchemas(m_session, dir, error);
}

void SchemaPanel::askExportShape()
{
    const QVariant type = m_shapeType->currentData();
    if (!type.isValid())
        return;
    const auto& registry = m_session.schemaRegistry();
    const QString folder = registry ? QFileInfo(registry->path()).absoluteFilePath() : QDir::homePath();
    const QString file = QFileDialog::getSaveFileName(this, tr("Export the learned shape as a JSON Schema"),
        QDir(folder).filePath(ShapeReport::schemaFileName(m_session.types().view(quint16(type.toInt())))),
        tr("JSON Schema (*.schema.json *.json)"));
    if (file.isEmpty())
        return;
    QString error;
    if (!exportShape(file, &error))
        QMessageBox::warning(this, tr("Export the learned shape"), error);
}

void SchemaPanel::askExportShapes()
{
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Export every learned shape: a folder for one TYPE.schema.json a type"), QDir::homePath());
    if (dir.isEmpty())
        return;
    QString error;
    if (exportShapes(dir, &error) < 0)
        QMessageBox::warning(this, tr("Export the learned shapes"), error);
}

void SchemaPanel::refresh()
{
    m_types->refresh();
    m_rules->refresh();
    const int changes = m_changes->rowCount();
    m_changes->refresh();
    m_timeline->refresh();
    fitTimeline();
    updateShapeTypes();
    m_fields->refresh();
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
    m_timeline->reset();
    m_tabs->setTabText(1, tr("Shape changes"));
    {
        const QSignalBlocker block(m_shapeType);
        m_shapeType->clear();
    }
    m_fields->setType(-1);
    m_exportShape->setEnabled(false);
    m_exportShapes->setEnabled(false);
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
    } else if (!m_problems.isEmpty()) {
        status = tr("No schemas in use: %1").arg(m_problems.constFirst());
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
