// SPDX-License-Identifier: MIT
#include "schemamodel.h"

#include "chainreport.h"
#include "session.h"
#include "shapereport.h"
#include "timestamp.h"

#include <QLocale>
#include <iterator>

namespace {
constexpr SessionTableModel::Header HeadersSchemaTypeModel[] = {
    { QT_TRANSLATE_NOOP("SchemaTypeModel", "Event type"), nullptr, "booking.location_reserved" }, // TypeColumn
    { QT_TRANSLATE_NOOP("SchemaTypeModel", "Checked"),
        QT_TRANSLATE_NOOP("SchemaTypeModel", "Events whose payload was checked against the type's schema"),
        "1,000,000" }, // CheckedColumn
    { QT_TRANSLATE_NOOP("SchemaTypeModel", "Violating"),
        QT_TRANSLATE_NOOP("SchemaTypeModel", "Checked events whose payload broke the schema"), "1,000,000" },
    { QT_TRANSLATE_NOOP("SchemaTypeModel", "Violating %"), nullptr, "100.0 %" }, // ShareColumn
    { QT_TRANSLATE_NOOP("SchemaTypeModel", "Not checked"),
        QT_TRANSLATE_NOOP("SchemaTypeModel", "Events of a type without a schema: never counted as violating"),
        "1,000,000" }, // UncheckedColumn
    { QT_TRANSLATE_NOOP("SchemaTypeModel", "First violation (UTC)"), nullptr, "00:00:00.000" }, // FirstColumn
    { QT_TRANSLATE_NOOP("SchemaTypeModel", "Last violation (UTC)"), nullptr, "00:00:00.000" }, // LastColumn
    { QT_TRANSLATE_NOOP("SchemaTypeModel", "Sources"), nullptr, "booking-service (1,000)" }, // SourcesColumn
};
constexpr SessionTableModel::Header HeadersSchemaRuleModel[] = {
    { QT_TRANSLATE_NOOP("SchemaRuleModel", "Rule broken"),
        QT_TRANSLATE_NOOP("SchemaRuleModel", "Where in the payload (array items as *) and which rule"),
        "/customer/address/postcode: pattern ^[0-9]{5}$" }, // RuleColumn
    { QT_TRANSLATE_NOOP("SchemaRuleModel", "Events"), nullptr, "1,000,000" }, // EventsColumn
    { QT_TRANSLATE_NOOP("SchemaRuleModel", "First event"), nullptr,
        "00000000-0000-0000-0000-000000000000" }, // ExampleColumn
};

constexpr SessionTableModel::Header HeadersShapeChangeModel[] = {
    { QT_TRANSLATE_NOOP("ShapeChangeModel", "Time (UTC)"), nullptr, "00:00:00.000" }, // TimeColumn
    { QT_TRANSLATE_NOOP("ShapeChangeModel", "Event type"), nullptr, "booking.location_reserved" }, // TypeColumn
    { QT_TRANSLATE_NOOP("ShapeChangeModel", "Change"),
        QT_TRANSLATE_NOOP("ShapeChangeModel", "A field added, no longer sent, or with a type it never had"),
        "/customer/address/postcode string -> integer" }, // ChangeColumn
    { QT_TRANSLATE_NOOP("ShapeChangeModel", "Source"), nullptr, "notification-service" }, // SourceColumn
    { QT_TRANSLATE_NOOP("ShapeChangeModel", "First event"), nullptr,
        "00000000-0000-0000-0000-000000000000" }, // EventColumn
};

constexpr SessionTableModel::Header HeadersShapeFieldModel[] = {
    { QT_TRANSLATE_NOOP("ShapeFieldModel", "Field"),
        QT_TRANSLATE_NOOP("ShapeFieldModel", "A JSON pointer into the payload (array items as *)"),
        "/customer/address/postcode" }, // FieldColumn
    { QT_TRANSLATE_NOOP("ShapeFieldModel", "Types"), nullptr, "string|integer|null" }, // TypesColumn
    { QT_TRANSLATE_NOOP("ShapeFieldModel", "Present %"),
        QT_TRANSLATE_NOOP("ShapeFieldModel", "The share of the type's events whose payload had the field"),
        "100.0 %" }, // PresentColumn
    { QT_TRANSLATE_NOOP("ShapeFieldModel", "Events"), nullptr, "1,000,000" }, // EventsColumn
    { QT_TRANSLATE_NOOP("ShapeFieldModel", "Example"),
        QT_TRANSLATE_NOOP("ShapeFieldModel", "The value in the first event that had the field"),
        "\"3f2a9c1e-7d41-4b8e\"" }, // ExampleColumn
};

QString text(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
} // namespace
static_assert(std::size(HeadersShapeFieldModel) == ShapeFieldModel::ColumnCount);

ShapeFieldModel::ShapeFieldModel(const Session& session, QObject* parent)
    : SessionTableModel(session, HeadersShapeFieldModel, parent)
{ }

ShapeFieldModel::~ShapeFieldModel() = default;

void ShapeFieldModel::setType(int type)
{
    beginResetModel();
    m_type = type;
    m_fields.clear();
    m_examples.clear();
    endResetModel();
    refresh();
}

void ShapeFieldModel::refresh()
{
    const ShapeTracker& shapes = m_session.shapes();
    if (m_type < 0 || std::size_t(m_type) >= shapes.types().size()) {
        if (!m_fields.empty()) {
            beginResetModel();
            m_fields.clear();
            endResetModel();
        }
        return;
    }
    const ShapeTracker::Type& t = shapes.types()[std::size_t(m_type)];
    std::vector<quint16> fields;
    for (std::size_t f = 0; f < shapes.fieldsShown(quint16(m_type)); ++f)
        if (!t.fields[f].path.empty()) // the payload itself
            fields.push_back(quint16(f));
    if (fields.size() < m_fields.size() || !std::equal(m_fields.begin(), m_fields.end(), fields.begin())) {
        beginResetModel();
        m_fields = std::move(fields);
        endResetModel();
        return;
    }
    if (!m_fields.empty())
        Q_EMIT dataChanged(
            index(0, TypesColumn), index(int(m_fields.size()) - 1, EventsColumn), { Qt::DisplayRole, SortRole });
    if (fields.size() == m_fields.size())
        return;
    beginInsertRows({}, int(m_fields.size()), int(fields.size()) - 1);
    m_fields = std::move(fields);
    endInsertRows();
}

int ShapeFieldModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_fields.size()); }

QVariant ShapeFieldModel::unboundedData(const QModelIndex& index, int role) const
{
    if (!index.isValid() || std::size_t(index.row()) >= m_fields.size() || m_type < 0)
        return {};
    const ShapeTracker& shapes = m_session.shapes();
    const quint16 type = quint16(m_type);
    const std::size_t f = m_fields[std::size_t(index.row())];
    const ShapeTracker::Field& field = shapes.types()[type].fields[f];
    if (role == EventRole)
        return m_session.store().contains(field.firstEvent) ? QVariant(field.firstEvent) : QVariant();
    const quint64 events = shapes.types()[type].events;
    switch (index.column()) {
    case FieldColumn:
        if (role == Qt::DisplayRole || role == SortRole || role == Qt::ToolTipRole)
            return text(field.path);
        break;
    case TypesColumn:
        if (role == Qt::DisplayRole || role == SortRole)
            return text(ShapeTracker::typeNames(shapes.typesShown(type, f)));
        break;
    case PresentColumn:
        if (role == SortRole)
            return events ? double(shapes.present(type, f)) / double(events) : 0.0;
        if (role == Qt::DisplayRole)
            return QStringLiteral("%1 %").arg(
                QLocale().toString(events ? 100.0 * double(shapes.present(type, f)) / double(events) : 0.0, 'f', 1));
        break;
    case EventsColumn:
        if (role == SortRole)
            return double(shapes.present(type, f));
        if (role == Qt::DisplayRole)
            return QLocale().toString(shapes.present(type, f));
        break;
    case ExampleColumn:
        if (role == Qt::DisplayRole || role == SortRole || role == Qt::ToolTipRole) {
            const auto known = std::find_if(
                m_examples.begin(), m_examples.end(), [&](const auto& e) { return e.first == quint16(f); });
            if (known != m_examples.end())
                return known->second;
            m_examples.emplace_back(quint16(f), ShapeReport::exampleValue(m_session, type, f));
            return m_examples.back().second;
        }
        break;
    default:
        break;
    }
    return {};
}
static_assert(std::size(HeadersShapeChangeModel) == ShapeChangeModel::ColumnCount);

ShapeChangeModel::ShapeChangeModel(const Session& session, QObject* parent)
    : SessionTableModel(session, HeadersShapeChangeModel, parent)
{ }

ShapeChangeModel::~ShapeChangeModel() = default;

void ShapeChangeModel::reset()
{
    beginResetModel();
    m_rows.clear();
    m_seen.clear();
    endResetModel();
}

void ShapeChangeModel::refresh()
{
    const ShapeTracker& shapes = m_session.shapes();
    const auto& types = shapes.types();
    if (m_seen.size() < types.size())
        m_seen.resize(types.size(), 0);
    // a replay gone back shows fewer: listed again
    for (std::size_t t = 0; t < types.size(); ++t)
        if (shapes.changesShown(quint16(t)) < m_seen[t]) {
            reset();
            m_seen.resize(types.size(), 0);
            break;
        }
    std::vector<std::pair<quint16, quint32>> added;
    for (std::size_t t = 0; t < types.size(); ++t) {
        const std::size_t shown = shapes.changesShown(quint16(t));
        for (std::size_t c = m_seen[t]; c < shown; ++c)
            added.emplace_back(quint16(t), quint32(c));
        m_seen[t] = shown;
    }
    if (added.empty())
        return;
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row + int(added.size()) - 1);
    m_rows.insert(m_rows.end(), added.begin(), added.end());
    endInsertRows();
}

int ShapeChangeModel::rowOf(quint16 type, quint32 change) const
{
    const auto it = std::find(m_rows.begin(), m_rows.end(), std::pair<quint16, quint32>(type, change));
    return it == m_rows.end() ? -1 : int(it - m_rows.begin());
}

int ShapeChangeModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QString ShapeChangeModel::describe(const Session& session, quint16 type, std::size_t change)
{
    const ShapeTracker::Type& t = session.shapes().types()[type];
    const ShapeTracker::Change& c = t.changes[change];
    const QString path = text(t.fields[c.field].path);
    switch (c.kind) {
    case ShapeTracker::Change::Added:
        return tr("%1 added (%2)").arg(path, text(ShapeTracker::typeNames(c.to)));
    case ShapeTracker::Change::Removed:
        return tr("%1 no longer sent").arg(path);
    case ShapeTracker::Change::TypeChanged:
        return tr("%1 %2 -> %3").arg(path, text(ShapeTracker::typeNames(c.from)), text(ShapeTracker::typeNames(c.to)));
    }
    return path;
}

QVariant ShapeChangeModel::unboundedData(const QModelIndex& index, int role) const
{
    if (!index.isValid() || std::size_t(index.row()) >= m_rows.size())
        return {};
    const auto [type, change] = m_rows[std::size_t(index.row())];
    const auto& types = m_session.shapes().types();
    if (type >= types.size() || change >= types[type].changes.size())
        return {};
    const ShapeTracker::Change& c = types[type].changes[change];
    if (role == EventRole)
        return m_session.store().contains(c.event) ? QVariant(c.event) : QVariant();
    if (role == TypeRole)
        return type;
    switch (index.column()) {
    case TimeColumn:
        if (role == SortRole)
            return double(c.timeUs);
        if (role == Qt::DisplayRole)
            return Timestamp::clockText(c.timeUs);
        if (role == Qt::ToolTipRole)
            return Timestamp::toIso8601(c.timeUs);
        break;
    case TypeColumn:
        if (role == Qt::DisplayRole || role == SortRole)
            return text(m_session.types().view(type));
        break;
    case ChangeColumn:
        if (role == Qt::DisplayRole || role == SortRole || role == Qt::ToolTipRole)
            return describe(m_session, type, change);
        break;
    case SourceColumn:
        if (role == Qt::DisplayRole || role == SortRole)
            return text(m_session.sources().view(c.source));
        break;
    case EventColumn:
        if ((role == Qt::DisplayRole || role == SortRole) && m_session.store().contains(c.event))
            return ChainReport::eventId(m_session, c.event);
        if (role == Qt::ToolTipRole)
            return tr("Double-click: this event in the log");
        break;
    default:
        break;
    }
    return {};
}
static_assert(std::size(HeadersSchemaTypeModel) == SchemaTypeModel::ColumnCount);
static_assert(std::size(HeadersSchemaRuleModel) == SchemaRuleModel::ColumnCount);

SchemaTypeModel::SchemaTypeModel(const Session& session, QObject* parent)
    : SessionTableModel(session, HeadersSchemaTypeModel, parent)
{ }

SchemaTypeModel::~SchemaTypeModel() = default;

void SchemaTypeModel::reset()
{
    beginResetModel();
    m_types.clear();
    endResetModel();
}

void SchemaTypeModel::refresh()
{
    const auto& types = m_session.schemas().types();
    std::vector<int> added;
    for (std::size_t t = 0; t < types.size(); ++t)
        if ((types[t].checked || types[t].unchecked) && rowOf(int(t)) < 0)
            added.push_back(int(t));
    if (!m_types.empty())
        Q_EMIT dataChanged(index(0, CheckedColumn), index(int(m_types.size()) - 1, ColumnCount - 1),
            { Qt::DisplayRole, SortRole, ViolatingRole, Qt::ToolTipRole });
    if (added.empty())
        return;
    const int row = int(m_types.size());
    beginInsertRows({}, row, row + int(added.size()) - 1);
    m_types.insert(m_types.end(), added.begin(), added.end());
    endInsertRows();
}

int SchemaTypeModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_types.size()); }

int SchemaTypeModel::rowOf(int type) const
{
    const auto it = std::find(m_types.begin(), m_types.end(), type);
    return it == m_types.end() ? -1 : int(it - m_types.begin());
}

QVariant SchemaTypeModel::unboundedData(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_types.size()))
        return {};
    const int type = m_types[std::size_t(index.row())];
    const auto& types = m_session.schemas().types();
    if (std::size_t(type) >= types.size())
        return {};
    const SchemaTracker::Type& t = types[std::size_t(type)];
    const double share = t.checked ? 100.0 * double(t.violating) / double(t.checked) : 0;
    if (role == TypeRole)
        return type;
    if (role == ViolatingRole)
        return double(t.violating);
    if (role == Qt::TextAlignmentRole)
        return index.column() == TypeColumn || index.column() == SourcesColumn
            ? QVariant()
            : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    const QLocale locale;
    switch (index.column()) {
    case TypeColumn:
        if (role == Qt::DisplayRole || role == SortRole)
            return text(m_session.types().view(quint16(type)));
        if (role == Qt::ToolTipRole && !t.checked)
            return tr("No schema for this type: its events are not checked");
        break;
    case CheckedColumn:
        if (role == SortRole)
            return double(t.checked);
        if (role == Qt::DisplayRole)
            return t.checked ? locale.toString(t.checked) : tr("no schema");
        break;
    case ViolatingColumn:
        if (role == SortRole)
            return double(t.violating);
        if (role == Qt::DisplayRole && t.checked)
            return locale.toString(t.violating);
        break;
    case ShareColumn:
        if (role == SortRole)
            return t.checked ? share : -1.0;
        if (role == Qt::DisplayRole && t.checked)
            return QStringLiteral("%1 %").arg(locale.toString(share, 'f', share > 0 && share < 0.1 ? 2 : 1));
        break;
    case UncheckedColumn:
        if (role == SortRole)
            return double(t.unchecked);
        if (role == Qt::DisplayRole && t.unchecked)
            return locale.toString(t.unchecked);
        break;
    case FirstColumn:
    case LastColumn: {
        if (!t.violating)
            break;
        const qint64 us = index.column() == FirstColumn ? t.firstUs : t.lastUs;
        if (role == SortRole)
            return double(us);
        if (role == Qt::DisplayRole)
            return Timestamp::clockText(us);
        if (role == Qt::ToolTipRole)
            return Timestamp::toIso8601(us);
        break;
    }
    case SourcesColumn: {
        if (role != Qt::DisplayRole && role != SortRole && role != Qt::ToolTipRole)
            break;
        QStringList sources;
        for (const auto& [source, events] : t.sources)
            sources << QStringLiteral("%1 (%2)").arg(text(m_session.sources().view(source)), locale.toString(events));
        if (t.otherSources)
            sources << tr("%n more", nullptr, int(std::min<quint64>(t.otherSources, 1000000)));
        return sources.join(QLatin1String(", "));
    }
    default:
        break;
    }
    return {};
}

SchemaRuleModel::SchemaRuleModel(const Session& session, QObject* parent)
    : SessionTableModel(session, HeadersSchemaRuleModel, parent)
{ }

SchemaRuleModel::~SchemaRuleModel() = default;

void SchemaRuleModel::setType(int type)
{
    beginResetModel();
    m_type = type;
    m_rows = 0;
    endResetModel();
    refresh();
}

void SchemaRuleModel::refresh()
{
    const auto& types = m_session.schemas().types();
    const int rows = m_type >= 0 && std::size_t(m_type) < types.size()
        ? int(types[std::size_t(m_type)].groups.size()) + (types[std::size_t(m_type)].otherGroups ? 1 : 0)
        : 0;
    if (rows < m_rows) { // the session was reset
        beginResetModel();
        m_rows = rows;
        endResetModel();
        return;
    }
    if (m_rows > 0)
        Q_EMIT dataChanged(index(0, EventsColumn), index(m_rows - 1, EventsColumn), { Qt::DisplayRole, SortRole });
    if (rows > m_rows) {
        beginInsertRows({}, m_rows, rows - 1);
        m_rows = rows;
        endInsertRows();
    }
}

int SchemaRuleModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_rows; }

QVariant SchemaRuleModel::unboundedData(const QModelIndex& index, int role) const
{
    const auto& types = m_session.schemas().types();
    if (!index.isValid() || m_type < 0 || std::size_t(m_type) >= types.size())
        return {};
    const SchemaTracker::Type& t = types[std::size_t(m_type)];
    const QLocale locale;
    if (std::size_t(index.row()) >= t.groups.size()) { // the breaches past the kept rules
        if (index.column() == RuleColumn && role == Qt::DisplayRole)
            return tr("(further rules)");
        if (index.column() == EventsColumn && (role == Qt::DisplayRole || role == SortRole))
            return role == SortRole ? QVariant(double(t.otherGroups)) : QVariant(locale.toString(t.otherGroups));
        return {};
    }
    const SchemaTracker::Group& g = t.groups[std::size_t(index.row())];
    if (role == KeyRole)
        return text(g.key);
    if (role == ExampleEventRole)
        return m_session.store().contains(g.example) ? QVariant(g.example) : QVariant();
    if (role == Qt::TextAlignmentRole && index.column() == EventsColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    switch (index.column()) {
    case RuleColumn:
        if (role == Qt::DisplayRole || role == SortRole || role == Qt::ToolTipRole)
            return text(g.key);
        break;
    case EventsColumn:
        if (role == SortRole)
            return double(g.events);
        if (role == Qt::DisplayRole)
            return locale.toString(g.events);
        break;
    case ExampleColumn:
        if ((role == Qt::DisplayRole || role == SortRole) && m_session.store().contains(g.example))
            return ChainReport::eventId(m_session, g.example);
        if (role == Qt::ToolTipRole)
            return tr("Double-click: the events that broke this rule, in the log");
        break;
    default:
        break;
    }
    return {};
}
