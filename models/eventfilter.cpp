// SPDX-License-Identifier: MIT
#include "eventfilter.h"

#include "glob.h"
#include "jsontext.h"
#include "session.h"

#include <algorithm>
#include <charconv>
#include <optional>

struct EventFilter::Node
{
    enum Kind { And, Or, Not, Compare, Text, TypeGlob } kind;
    enum Op { Eq, Ne, Glob, Contains, Lt, Le, Gt, Ge } op = Eq;
    enum Field { Type, Source, Origin, Seq, Delay, Schema, Json } field = Json;
    std::unique_ptr<Node> a, b;
    std::string path; ///< Json field
    std::string value; ///< compared value; lower case for Text and Contains
    std::optional<double> number;
    mutable std::vector<qint8> typeCache; ///< per type id: -1 unknown, 0 no, 1 yes
};

namespace {

using Node = EventFilter::Node;

struct Evaluation
{
    const Session& session;
    const EventRecord& record;
    std::string_view raw;
    quint32 index;
};

std::optional<double> toNumber(std::string_view s)
{
    double d = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), d);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || s.empty())
        return std::nullopt;
    return d;
}

bool compare(const Node& n, std::string_view actual)
{
    switch (n.op) {
    case Node::Eq:
        return actual == n.value;
    case Node::Ne:
        return actual != n.value;
    case Node::Glob:
        return globMatch(n.value, actual);
    case Node::Contains:
        return JsonText::containsFolded(actual, n.value);
    default:
        break;
    }
    const std::optional<double> x = toNumber(actual);
    if (x && n.number) {
        switch (n.op) {
        case Node::Lt:
            return *x < *n.number;
        case Node::Le:
            return *x <= *n.number;
        case Node::Gt:
            return *x > *n.number;
        default:
            return *x >= *n.number;
        }
    }
    const int c = actual.compare(n.value);
    return n.op == Node::Lt ? c < 0 : n.op == Node::Le ? c <= 0 : n.op == Node::Gt ? c > 0 : c >= 0;
}

bool evaluate(const Node& n, const Evaluation& ev)
{
    switch (n.kind) {
    case Node::And:
        return evaluate(*n.a, ev) && evaluate(*n.b, ev);
    case Node::Or:
        return evaluate(*n.a, ev) || evaluate(*n.b, ev);
    case Node::Not:
        return !evaluate(*n.a, ev);
    case Node::Text:
        return JsonText::containsFolded(ev.raw, n.value);
    case Node::TypeGlob:
    case Node::Compare:
        break;
    }
    const std::size_t type = ev.record.type;
    if (n.kind == Node::TypeGlob || (n.field == Node::Type && (n.op == Node::Eq || n.op == Node::Glob))) {
        // type tests run per event: remember the answer per interned type
        if (n.typeCache.size() <= type)
            n.typeCache.resize(type + 1, -1);
        if (n.typeCache[type] < 0)
            n.typeCache[type] = (n.op == Node::Glob || n.kind == Node::TypeGlob)
                ? globMatch(n.value, ev.session.types().view(quint16(type)))
                : ev.session.types().view(quint16(type)) == n.value;
        return n.typeCache[type] == 1;
    }
    switch (n.field) {
    case Node::Type:
        return compare(n, ev.session.types().view(ev.record.type));
    case Node::Source:
        return compare(n, ev.session.sources().view(ev.record.source));
    case Node::Origin:
        return compare(n, ev.session.origins().view(ev.record.origin()));
    case Node::Seq:
        return ev.record.has(EventRecord::HasSeq) && compare(n, std::to_string(ev.record.seq()));
    case Node::Delay:
        return compare(n, std::to_string((ev.record.receiveTimeUs - ev.record.eventTimeUs) / 1000));
    case Node::Schema: {
        // each of the event's schema breaches ("POINTER: RULE"); != holds when none is equal
        const std::vector<std::string_view> breaches = ev.session.schemaBreachesOf(ev.index);
        if (n.op == Node::Ne)
            return std::none_of(breaches.begin(), breaches.end(), [&](std::string_view b) { return b == n.value; });
        return std::any_of(breaches.begin(), breaches.end(), [&](std::string_view b) { return compare(n, b); });
    }
    case Node::Json:
        break;
    }
    std::string actual;
    bool found = JsonText::field(ev.raw, n.path, &actual);
    if (!found && n.path.rfind("payload.", 0) == 0)
        found = JsonText::field(ev.raw, "data." + n.path.substr(8), &actual);
    if (!found)
        return n.op == Node::Ne;
    return compare(n, actual);
}

/// Recursive descent over the filter text; errors name the 1-based column.
class Parser
{
public:
    explicit Parser(const QString& text)
        : m_text(text.toStdString())
    { }

    std::unique_ptr<Node> parse(QString* error)
    {
        skipSpace();
        std::unique_ptr<Node> n;
        if (m_pos < m_text.size())
            n = orExpr();
        skipSpace();
        if (m_error.isEmpty() && m_pos < m_text.size())
            fail(QStringLiteral("unexpected \"%1\"").arg(QString::fromStdString(m_text.substr(m_pos, 12))));
        if (!m_error.isEmpty()) {
            if (error)
                *error = m_error;
            return nullptr;
        }
        return n;
    }

private:
    std::unique_ptr<Node> make(Node::Kind k, std::unique_ptr<Node> a = {}, std::unique_ptr<Node> b = {})
    {
        if (++m_nodes == MaxNodes)
            fail(QStringLiteral("the filter has more than %1 terms").arg(MaxNodes / 2));
        auto n = std::make_unique<Node>();
        n->kind = k;
        n->a = std::move(a);
        n->b = std::move(b);
        return n;
    }
    void fail(const QString& what)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("column %1: %2").arg(m_pos + 1).arg(what);
    }
    void skipSpace()
    {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
            ++m_pos;
    }
    bool eat(std::string_view token, bool word = false)
    {
        skipSpace();
        if (m_text.compare(m_pos, token.size(), token) != 0)
            return false;
        const std::size_t after = m_pos + token.size();
        if (word && after < m_text.size() && !std::isspace(static_cast<unsigned char>(m_text[after]))
            && m_text[after] != '(')
            return false;
        m_pos = after;
        return true;
    }
    bool atEnd()
    {
        skipSpace();
        return m_pos >= m_text.size();
    }

    std::unique_ptr<Node> orExpr()
    {
        auto left = andExpr();
        while (m_error.isEmpty() && (eat("||") || eat("or", true)))
            left = make(Node::Or, std::move(left), andExpr());
        return left;
    }
    std::unique_ptr<Node> andExpr()
    {
        auto left = unary();
        while (m_error.isEmpty() && !atEnd() && m_text[m_pos] != ')') {
            const std::size_t save = m_pos;
            if (eat("||") || eat("or", true)) {
                m_pos = save;
                break;
            }
            (void)(eat("&&") || eat("and", true));
            left = make(Node::And, std::move(left), unary());
        }
        return left;
    }
    std::unique_ptr<Node> unary()
    {
        struct Depth
        {
            int& d;
            ~Depth() { --d; }
        } depth { ++m_depth };
        if (m_depth > MaxDepth) {
            fail(QStringLiteral("nested more than %1 deep").arg(MaxDepth));
            return make(Node::Text);
        }
        if (atEnd()) {
            fail(QStringLiteral("expected a term"));
            return make(Node::Text);
        }
        if (eat("!") || eat("not", true))
            return make(Node::Not, unary());
        if (eat("(")) {
            auto n = orExpr();
            if (!eat(")"))
                fail(QStringLiteral("expected \")\""));
            return n;
        }
        const std::size_t start = m_pos;
        bool quoted = false;
        std::string word = token(&quoted);
        if (!m_error.isEmpty())
            return make(Node::Text);
        if (!quoted) {
            const std::size_t save = m_pos;
            if (std::optional<Node::Op> op = comparison())
                return compareNode(word, *op, start);
            m_pos = save;
        }
        auto n = make(!quoted && word.find('*') != std::string::npos ? Node::TypeGlob : Node::Text);
        if (n->kind == Node::Text)
            for (char& c : word)
                c = char(std::tolower(static_cast<unsigned char>(c)));
        n->value = std::move(word);
        return n;
    }
    std::optional<Node::Op> comparison()
    {
        static const std::pair<std::string_view, Node::Op> ops[]
            = { { "==", Node::Eq }, { "!=", Node::Ne }, { "<=", Node::Le }, { ">=", Node::Ge }, { "<", Node::Lt },
                  { ">", Node::Gt }, { "~", Node::Glob }, { "matches", Node::Glob }, { "contains", Node::Contains } };
        for (const auto& [text, op] : ops) {
            const bool word = std::isalpha(static_cast<unsigned char>(text[0]));
            if (eat(text, word))
                return op;
        }
        return std::nullopt;
    }
    std::unique_ptr<Node> compareNode(const std::string& field, Node::Op op, std::size_t start)
    {
        for (char c : field)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '$' || c == '-')) {
                m_pos = start;
                fail(QStringLiteral("\"%1\" is not a field name").arg(QString::fromStdString(field)));
                return make(Node::Text);
            }
        if (atEnd()) {
            fail(QStringLiteral("expected a value after the comparison"));
            return make(Node::Text);
        }
        bool quoted = false;
        auto n = make(Node::Compare);
        n->op = op;
        n->value = token(&quoted);
        n->number = toNumber(n->value);
        n->path = field;
        static const std::pair<std::string_view, Node::Field> named[]
            = { { "type", Node::Type }, { "source", Node::Source }, { "origin", Node::Origin }, { "seq", Node::Seq },
                  { "delay", Node::Delay }, { "schema", Node::Schema } };
        for (const auto& [name, f] : named)
            if (field == name)
                n->field = f;
        if (n->field == Node::Type && op == Node::Eq && n->value.find('*') != std::string::npos)
            n->op = Node::Glob;
        if (op == Node::Contains)
            for (char& c : n->value)
                c = char(std::tolower(static_cast<unsigned char>(c)));
        return n;
    }
    /// A quoted string (with \" and \\ escapes) or a run of characters up to space, parenthesis or operator.
    std::string token(bool* quoted)
    {
        skipSpace();
        std::string out;
        if (m_pos < m_text.size() && m_text[m_pos] == '"') {
            *quoted = true;
            ++m_pos;
            while (m_pos < m_text.size() && m_text[m_pos] != '"') {
                if (m_text[m_pos] == '\\' && m_pos + 1 < m_text.size())
                    ++m_pos;
                out += m_text[m_pos++];
            }
            if (m_pos >= m_text.size())
                fail(QStringLiteral("unterminated string"));
            else
                ++m_pos;
            return out;
        }
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (std::isspace(static_cast<unsigned char>(c)) || c == '(' || c == ')' || c == '"'
                || ((c == '=' || c == '!' || c == '<' || c == '>' || c == '~' || c == '&' || c == '|') && !out.empty()))
                break;
            if ((c == '=' || c == '<' || c == '>' || c == '~' || c == '&' || c == '|') && out.empty())
                break;
            out += c;
            ++m_pos;
        }
        if (out.empty())
            fail(QStringLiteral("expected a word, a quoted string or a field"));
        return out;
    }

    std::string m_text;
    std::size_t m_pos = 0;
    QString m_error;
    // a filter comes from outside too (settings, the flight recorder's options): parsing, matching and
    // freeing it recurse, so its nesting and its size are bounded before any of them could overflow
    static constexpr int MaxDepth = 64;
    static constexpr int MaxNodes = 2000;
    int m_depth = 0;
    int m_nodes = 0;
};

} // namespace

EventFilter::EventFilter() = default;
EventFilter::~EventFilter() = default;
EventFilter::EventFilter(EventFilter&&) noexcept = default;
EventFilter& EventFilter::operator=(EventFilter&&) noexcept = default;

QString EventFilter::equals(const QString& field, const QString& value)
{
    QString quoted = value;
    quoted.replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\""));
    return QStringLiteral("%1 == \"%2\"").arg(field, quoted);
}

bool EventFilter::parse(const QString& text, QString* error)
{
    QString why;
    std::unique_ptr<Node> root = Parser(text).parse(&why);
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    m_root = std::move(root);
    m_text = text.trimmed();
    return true;
}

bool EventFilter::matches(const Session& session, quint32 index) const
{
    if (!m_root)
        return true;
    if (!session.store().contains(index))
        return false;
    const EventRecord& r = session.store().at(index);
    return evaluate(*m_root, Evaluation { session, r, session.store().raw(r), index });
}
