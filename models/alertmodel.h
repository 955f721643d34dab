// SPDX-License-Identifier: MIT
#pragma once

#include "ratetracker.h"
#include "sessiontablemodel.h"

#include <QAbstractTableModel>
#include <algorithm>
#include <limits>
#include <string_view>
#include <vector>

class RateSeries;
class Session;

/// When to raise an alert. Persisted by the window; every threshold is the user's to change.
class QSettings;

struct AlertRules
{
    bool breakerOpened = true;
    /// A steady type (RateTracker::isSteady()) that averaged at least `silentMinRate`/s over a minute and
    /// was not seen for this long (5 s at least; 0: never) went silent; a failure type
    /// (AlertModel::isFailureType()) that stops has recovered (information, not an alarm).
    int silentAfterSeconds = 15;
    double silentMinRate = 0.5;
    /// Dead letters within 10 seconds (0: never), said at most once a minute.
    int deadLettersPer10s = 5;
    /// A type whose payloads keep their schema starts breaking it; a type's payload shape changes.
    bool schemaViolated = true;
    /// A consumer whose lag grew at every sample for this long (0: never); one whose redelivered
    /// messages rose by this many within 10 s (0: never).
    int consumerLagSeconds = 30;
    int redeliveriesPer10s = 10;

    /// The rules kept in `settings` (under alerts/), each clamped to its range; the defaults where absent.
    static AlertRules load(const QSettings& settings);
    void save(QSettings& settings) const;
};

struct Alert
{
    enum Kind : quint8 {
        BreakerOpened,
        TypeSilent,
        DeadLettersRising,
        TypeRecovered, ///< information: a failure type stopped
        SchemaViolated, ///< a type's payloads started breaking its schema
        ShapeChanged, ///< a type's payload shape changed (the changes at one event, together)
        ConsumerLagging, ///< a stream's durable consumer fell further behind for consumerLagSeconds
        RedeliveriesRising, ///< a consumer's redelivered messages rose by redeliveriesPer10s in 10 s
    };
    /// An alarm asks for attention (banner, desktop notification); information is only listed.
    bool isAlarm() const { return kind != TypeRecovered; }
    Kind kind = BreakerOpened;
    qint64 timeUs = 0;
    QString text;
    // the evidence, a click away
    int breaker = -1;
    quint32 event = 0xFFFFFFFFu; ///< the event that shows it (a transition, the latest dead letter)
    int type = -1;
    int consumer = -1; ///< index in ConsumerTracker::consumers()
};

/// Watches the session on each refresh and raises alerts: a breaker opened, a type went silent, dead
/// letters rose. Rows are the alerts raised, oldest first (at most 1,000 kept).
class AlertModel : public SessionTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, KindColumn, TextColumn, ColumnCount };
    enum Role { KindRole = Qt::UserRole, AlertRole };
    static constexpr int MaxAlerts = 1000;

    /// Types whose events are failures (handler failed, retry scheduled, dead lettered, `*.error`,
    /// `*.failed`): their stopping is good news.
    static bool isFailureType(std::string_view type);

    explicit AlertModel(const Session& session, QObject* parent = nullptr);
    ~AlertModel() override;

    void setRules(const AlertRules& rules) { m_rules = rules; }
    const AlertRules& rules() const { return m_rules; }
    /// Checks the rules at `nowUs` (on the session's time basis); new alerts are appended and announced.
    void refresh(qint64 nowUs);
    /// The session was reset (Session::reset()): forget every row.
    void reset();
    const Alert& alert(int row) const { return m_alerts[std::size_t(row)]; }

    int rowCount(const QModelIndex& parent = {}) const final;

Q_SIGNALS:
    /// One signal per refresh that raised any: the newest is the last row.
    void raised(int count);

private:
    QVariant unboundedData(const QModelIndex& index, int role) const override;
    AlertRules m_rules;
    std::vector<Alert> m_alerts;
    std::vector<quint64> m_seenTransitions; ///< per breaker
    std::vector<qint64> m_silentSince; ///< per type: the lastSeen already alerted on
    std::vector<quint8> m_schemaAlerted; ///< per type: its first schema violation was alerted on
    std::vector<std::size_t> m_shapeChangesAlerted; ///< per type: its shape changes alerted on
    /// per consumer: the sample time it was last alerted on for lag and for redeliveries (an episode
    /// ends when its lag falls again; redeliveries are said at most once a minute)
    std::vector<qint64> m_lagAlerted, m_redeliveryAlerted;
    void checkConsumers(std::vector<Alert>& fresh);
    void checkSilence(qint64 nowUs, std::vector<Alert>& fresh);
    void checkDeadLetters(std::vector<Alert>& fresh);
    qint64 silentAfterUs() const
    {
        return std::max<qint64>(qint64(m_rules.silentAfterSeconds) * 1000000, RateTracker::MinQuietUs);
    }
    /// A quiet spell of `type` from `fromUs` to `toUs` (NoAlertYet: it lasts still).
    Alert silence(quint16 type, qint64 fromUs, qint64 toUs, double rateBefore) const;
    static constexpr qint64 NoAlertYet = std::numeric_limits<qint64>::min();
    qint64 m_lastDeadLetterAlertUs = NoAlertYet;
    quint64 m_quietsSeen = 0; ///< RateTracker::quiets() ids looked at
    quint64 m_deadLettersSeen = 0; ///< RetryTracker::deadLetters() ids looked at
    quint64 m_deadLetterWindow = 0; ///< the first of the 10 s up to the latest looked at
};
