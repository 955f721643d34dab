// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <memory>

/// Simulates the workforce-management platform's event bus: authentication, an 8-stage booking
/// lifecycle per booking (each stage caused by the one before, one correlation id per booking, some
/// rejected or cancelled part-way), locations, staff, notifications through email/SMS/in-app handlers,
/// and the bus's resilience: handler failures, retries with exponential backoff, a circuit breaker per
/// flaky downstream and dead letters. The same seed gives the same session.
class DemoGenerator
{
public:
    enum class Scenario {
        Steady, ///< mostly healthy; the email gateway degrades now and then
        Incident, ///< from 20 s to 50 s (configurable) the email gateway is down: breakers trip, dead letters pile up
        Flood, ///< steady traffic, but booking.created bursts
        /// steady traffic; from 20 s (incidentStartSeconds) staff-service's new release sends staffId as a
        /// number and `available` renamed to `isAvailable`: both break the demo platform's contract
        /// (resources/schemas)
        SchemaChange,
    };
    struct Options
    {
        std::uint64_t seed = 1;
        Scenario scenario = Scenario::Steady;
        bool cloudEvents = false; ///< CloudEvents 1.0 structured JSON instead of the native envelope
        QString source = QStringLiteral("demo-bus");
        /// Incident scenario: when the email gateway goes down and for how long (seconds of event time).
        double incidentStartSeconds = 20;
        double incidentSeconds = 30;
    };

    explicit DemoGenerator(Options options);
    ~DemoGenerator();

    /// Appends the next event(s) produced at timeUs (monotonic) as lines of JSON, without a final newline:
    /// usually one event, sometimes a failure with its retry and a breaker transition.
    void next(qint64 timeUs, QByteArray& out);
    /// Events generated so far (also the seq of the last one).
    std::uint64_t count() const;

    static bool parseScenario(const QString& name, Scenario& out);

private:
    struct Private;
    std::unique_ptr<Private> d;
};
