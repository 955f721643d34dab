// SPDX-License-Identifier: MIT
#include "yamljson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <map>
#include <memory>
#include <yaml.h>

namespace {

/// A plain scalar's value under the YAML 1.2 core schema.
QJsonValue plainScalar(const QString& text)
{
    static const QRegularExpression integer(QStringLiteral("^[-+]?[0-9]+$"));
    static const QRegularExpression hex(QStringLiteral("^0x[0-9a-fA-F]+$"));
    static const QRegularExpression octal(QStringLiteral("^0o[0-7]+$"));
    static const QRegularExpression floating(QStringLiteral("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"));
    if (text.isEmpty() || text == QLatin1String("~") || text == QLatin1String("null") || text == QLatin1String("Null")
        || text == QLatin1String("NULL"))
        return QJsonValue::Null;
    if (text == QLatin1String("true") || text == QLatin1String("True") || text == QLatin1String("TRUE"))
        return true;
    if (text == QLatin1String("false") || text == QLatin1String("False") || text == QLatin1String("FALSE"))
        return false;
    bool ok = false;
    if (integer.match(text).hasMatch()) {
        const qlonglong v = text.toLongLong(&ok);
        if (ok)
            return QJsonValue(v);
        return text.toDouble(); // past 64 bits: as a double, as JSON has it
    }
    if (hex.match(text).hasMatch()) {
        const qulonglong v = text.mid(2).toULongLong(&ok, 16);
        if (ok)
            return double(v);
    }
    if (octal.match(text).hasMatch()) {
        const qulonglong v = text.mid(2).toULongLong(&ok, 8);
        if (ok)
            return double(v);
    }
    if (floating.match(text).hasMatch())
        return text.toDouble();
    return text;
}

class Reader
{
public:
    explicit Reader(const QByteArray& yaml)
    {
        yaml_parser_initialize(&m_parser);
        yaml_parser_set_input_string(
            &m_parser, reinterpret_cast<const unsigned char*>(yaml.constData()), std::size_t(yaml.size()));
    }
    ~Reader()
    {
        if (m_hasEvent)
            yaml_event_delete(&m_event);
        yaml_parser_delete(&m_parser);
    }

    QJsonValue document(QString* error)
    {
        // stream start, document start, the root, (document end)
        if (!next() || m_event.type != YAML_STREAM_START_EVENT || !next())
            return fail(error);
        if (m_event.type == YAML_STREAM_END_EVENT) {
            *error = QStringLiteral("the file holds no YAML document");
            return QJsonValue(QJsonValue::Undefined);
        }
        if (m_event.type != YAML_DOCUMENT_START_EVENT || !next())
            return fail(error);
        QJsonValue root = node(0);
        if (!m_error.isEmpty()) {
            *error = m_error;
            return QJsonValue(QJsonValue::Undefined);
        }
        return root;
    }

private:
    bool next()
    {
        if (m_hasEvent)
            yaml_event_delete(&m_event);
        m_hasEvent = yaml_parser_parse(&m_parser, &m_event) == 1;
        if (!m_hasEvent && m_error.isEmpty())
            m_error = QStringLiteral("line %1, column %2: %3")
                          .arg(m_parser.problem_mark.line + 1)
                          .arg(m_parser.problem_mark.column + 1)
                          .arg(QString::fromUtf8(m_parser.problem ? m_parser.problem : "not YAML"));
        return m_hasEvent;
    }
    QJsonValue fail(QString* error)
    {
        *error = m_error.isEmpty() ? QStringLiteral("not a YAML stream") : m_error;
        return QJsonValue(QJsonValue::Undefined);
    }
    QJsonValue refuse(const QString& why)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("line %1, column %2: %3")
                          .arg(m_event.start_mark.line + 1)
                          .arg(m_event.start_mark.column + 1)
                          .arg(why);
        return QJsonValue(QJsonValue::Undefined);
    }
    /// Counts `n` values more; false past MaxNodes.
    bool count(qint64 n)
    {
        m_nodes += n;
        return m_nodes <= YamlJson::MaxNodes;
    }
    static qint64 sizeOf(const QJsonValue& v)
    {
        qint64 n = 1;
        if (v.isArray())
            for (const QJsonValue& item : v.toArray())
                n += sizeOf(item);
        else if (v.isObject())
            for (const QJsonValue& item : v.toObject())
                n += sizeOf(item);
        return n;
    }
    void anchor(const yaml_char_t* name, const QJsonValue& v)
    {
        if (name)
            m_anchors[QString::fromUtf8(reinterpret_cast<const char*>(name))] = { v, sizeOf(v) };
    }

    /// The value whose first event is the current one; leaves the event after it current.
    QJsonValue node(int depth)
    {
        if (!m_error.isEmpty())
            return QJsonValue(QJsonValue::Undefined);
        if (depth > YamlJson::MaxDepth)
            return refuse(QStringLiteral("nested deeper than %1").arg(YamlJson::MaxDepth));
        switch (m_event.type) {
        case YAML_SCALAR_EVENT: {
            if (!count(1))
                return refuse(QStringLiteral("more than %1 values").arg(YamlJson::MaxNodes));
            const QString text = QString::fromUtf8(
                reinterpret_cast<const char*>(m_event.data.scalar.value), qsizetype(m_event.data.scalar.length));
            const QJsonValue v = m_event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !m_event.data.scalar.tag
                ? plainScalar(text)
                : QJsonValue(text);
            anchor(m_event.data.scalar.anchor, v);
            next();
            return v;
        }
        case YAML_ALIAS_EVENT: {
            const auto it = m_anchors.find(QString::fromUtf8(reinterpret_cast<const char*>(m_event.data.alias.anchor)));
            if (it == m_anchors.end())
                return refuse(QStringLiteral("an alias to no anchor"));
            if (!count(it->second.second))
                return refuse(
                    QStringLiteral("more than %1 values once its aliases are expanded").arg(YamlJson::MaxNodes));
            const QJsonValue v = it->second.first;
            next();
            return v;
        }
        case YAML_SEQUENCE_START_EVENT: {
            const yaml_char_t* name = m_event.data.sequence_start.anchor;
            const QString anchorName = name ? QString::fromUtf8(reinterpret_cast<const char*>(name)) : QString();
            if (!count(1) || !next())
                return refuse(QStringLiteral("more than %1 values").arg(YamlJson::MaxNodes));
            QJsonArray a;
            while (m_error.isEmpty() && m_event.type != YAML_SEQUENCE_END_EVENT)
                a.append(node(depth + 1));
            if (!m_error.isEmpty())
                return QJsonValue(QJsonValue::Undefined);
            next();
            if (!anchorName.isEmpty())
                m_anchors[anchorName] = { a, sizeOf(a) };
            return a;
        }
        case YAML_MAPPING_START_EVENT: {
            const yaml_char_t* name = m_event.data.mapping_start.anchor;
            const QString anchorName = name ? QString::fromUtf8(reinterpret_cast<const char*>(name)) : QString();
            if (!count(1) || !next())
                return refuse(QStringLiteral("more than %1 values").arg(YamlJson::MaxNodes));
            QJsonObject o;
            while (m_error.isEmpty() && m_event.type != YAML_MAPPING_END_EVENT) {
                if (m_event.type != YAML_SCALAR_EVENT)
                    return refuse(QStringLiteral("a key that is not text (JSON has text keys only)"));
                const QString key = QString::fromUtf8(
                    reinterpret_cast<const char*>(m_event.data.scalar.value), qsizetype(m_event.data.scalar.length));
                if (!count(1) || !next())
                    return refuse(QStringLiteral("more than %1 values").arg(YamlJson::MaxNodes));
                if (key == QLatin1String("<<") && m_event.type == YAML_ALIAS_EVENT) { // a merge key
                    const QJsonObject merged = node(depth + 1).toObject();
                    for (auto it = merged.begin(); it != merged.end(); ++it)
                        if (!o.contains(it.key()))
                            o.insert(it.key(), it.value());
                    continue;
                }
                o.insert(key, node(depth + 1));
            }
            if (!m_error.isEmpty())
                return QJsonValue(QJsonValue::Undefined);
            next();
            if (!anchorName.isEmpty())
                m_anchors[anchorName] = { o, sizeOf(o) };
            return o;
        }
        default:
            return refuse(QStringLiteral("unexpected YAML"));
        }
    }

    yaml_parser_t m_parser {};
    yaml_event_t m_event {};
    bool m_hasEvent = false;
    QString m_error;
    qint64 m_nodes = 0;
    std::map<QString, std::pair<QJsonValue, qint64>> m_anchors; ///< value and its size in values
};

} // namespace

QJsonValue YamlJson::parse(const QByteArray& yaml, QString* error)
{
    Reader reader(yaml);
    return reader.document(error);
}
