// SPDX-License-Identifier: MIT
#include "stagereport.h"

#include "session.h"

#include <QJsonArray>
#include <algorithm>
#include <cmath>

namespace {
QString text(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
double ms(qint64 us) { return double(us) / 1000.0; }
double rounded(double v) { return std::round(v * 1000.0) / 1000.0; }
} // namespace

std::vector<StageReport::Row> StageReport::rows(const Session& s, int& root)
{
    const StageTracker& tracker = s.stages();
    if (root < 0 || std::size_t(root) >= tracker.roots().size() || tracker.roots()[std::size_t(root)].chains == 0)
        root = tracker.commonRoot();
    if (root < 0)
        return {};
    const StageTracker::Root& r = tracker.roots()[std::size_t(root)];
    std::vector<Row> rows;
    for (const auto& [type, index] : r.stages) {
        const StageTracker::Stage& st = tracker.stages()[index];
        Row row;
        row.type = type;
        row.reached = st.reached;
        row.reachedPercent = r.chains ? 100.0 * double(st.reached) / double(r.chains) : 0.0;
        row.p50FromRootUs = st.fromRoot.quantileUs(0.50);
        row.p95FromRootUs = st.fromRoot.quantileUs(0.95);
        row.p99FromRootUs = st.fromRoot.quantileUs(0.99);
        row.p50FromPreviousUs = st.fromPrevious.quantileUs(0.50);
        row.endedHere = st.endedHere;
        rows.push_back(row);
    }
    // the root first, then by median time from it (ties: more chains first, then by name)
    std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
        if ((a.type == root) != (b.type == root))
            return a.type == root;
        if (a.p50FromRootUs != b.p50FromRootUs)
            return a.p50FromRootUs < b.p50FromRootUs;
        if (a.reached != b.reached)
            return a.reached > b.reached;
        return s.types().view(quint16(a.type)) < s.types().view(quint16(b.type));
    });
    return rows;
}

int StageReport::findRoot(const Session& s, const QString& name)
{
    const int type = s.types().find(name.toStdString());
    if (type < 0 || std::size_t(type) >= s.stages().roots().size() || s.stages().roots()[std::size_t(type)].chains == 0)
        return -1;
    return type;
}

QJsonObject StageReport::toJson(const Session& s, int root)
{
    const std::vector<Row> stages = rows(s, root);
    QJsonObject o;
    if (root < 0) {
        o[QStringLiteral("root")] = QJsonValue::Null;
        o[QStringLiteral("chains")] = 0;
        o[QStringLiteral("stages")] = QJsonArray();
        return o;
    }
    QJsonArray list;
    for (const Row& r : stages) {
        QJsonObject st;
        st[QStringLiteral("type")] = text(s.types().view(quint16(r.type)));
        st[QStringLiteral("reached")] = qint64(r.reached);
        st[QStringLiteral("reachedPercent")] = rounded(r.reachedPercent);
        st[QStringLiteral("p50FromRootMs")] = ms(r.p50FromRootUs);
        st[QStringLiteral("p95FromRootMs")] = ms(r.p95FromRootUs);
        st[QStringLiteral("p99FromRootMs")] = ms(r.p99FromRootUs);
        st[QStringLiteral("p50FromPreviousMs")] = ms(r.p50FromPreviousUs);
        st[QStringLiteral("endedHere")] = r.endedHere;
        list.append(st);
    }
    o[QStringLiteral("root")] = text(s.types().view(quint16(root)));
    o[QStringLiteral("chains")] = qint64(s.stages().roots()[std::size_t(root)].chains);
    o[QStringLiteral("stages")] = list;
    if (s.stages().dropped())
        o[QStringLiteral("droppedStages")] = qint64(s.stages().dropped());
    return o;
}

QString StageReport::toText(const Session& s, int root)
{
    const std::vector<Row> stages = rows(s, root);
    if (root < 0)
        return QStringLiteral("No chain: stages need events with a correlation id.\n");
    const quint64 chains = s.stages().roots()[std::size_t(root)].chains;
    QString out = (chains == 1 ? QStringLiteral("%L1 chain starts with %2\n\n")
                               : QStringLiteral("%L1 chains start with %2\n\n"))
                      .arg(chains)
                      .arg(text(s.types().view(quint16(root))));
    int width = 5;
    for (const Row& r : stages)
        width = std::max<int>(width, int(s.types().view(quint16(r.type)).size()));
    width = std::min(width, 60);
    out += QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8\n")
               .arg(QStringLiteral("stage"), -width)
               .arg(QStringLiteral("reached"), 9)
               .arg(QStringLiteral("share"), 7)
               .arg(QStringLiteral("p50 ms"), 10)
               .arg(QStringLiteral("p95 ms"), 10)
               .arg(QStringLiteral("p99 ms"), 10)
               .arg(QStringLiteral("prev ms"), 10)
               .arg(QStringLiteral("ended"), 8);
    for (const Row& r : stages)
        out += QStringLiteral("%1 %2 %3% %4 %5 %6 %7 %8\n")
                   .arg(text(s.types().view(quint16(r.type))), -width)
                   .arg(r.reached, 9)
                   .arg(r.reachedPercent, 6, 'f', 1)
                   .arg(ms(r.p50FromRootUs), 10, 'f', 1)
                   .arg(ms(r.p95FromRootUs), 10, 'f', 1)
                   .arg(ms(r.p99FromRootUs), 10, 'f', 1)
                   .arg(ms(r.p50FromPreviousUs), 10, 'f', 1)
                   .arg(r.endedHere, 8);
    out += QStringLiteral("\np50/p95/p99: time from the root; prev: median time from the stage reached just before; "
                          "ended: chains whose latest new stage it is\n");
    return out;
}
