// SPDX-License-Identifier: MIT
#pragma once

#include "sessiontablemodel.h"

#include <QAbstractTableModel>
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
    /// A steady type (AlertModel::wasSteady()) that averaged at least `silentMinRate`/s over a minute and
    /// has not been seen for this long went silent; a failure type (AlertModel::isFailureType()) that
    /// stops has recovered (information, not an alarm).
    int silentAfterSeconds = 15;
    double silentMinRate = 0.5;
    /// Dead letters within the last 10 seconds (0: never).
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
    /// At least 20 events over at least 60 s of the session clock: only such a type can go silent.
    static bool wasSteady(const RateSeries& series);
    static constexpr quint64 SteadyEvents = 20;
    static constexpr qint64 SteadySeconds = 60;

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
    static constexpr qint64 NoAlertYet = std::numeric_limits<qint64>::min();
    qint64 m_lastDeadLetterAlertUs = NoAlertYet;
};
