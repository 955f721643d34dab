// SPDX-License-Identifier: MIT
#include "demogenerator.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>
#include <vector>

namespace {
struct Id
{
    std::uint64_t hi = 0, lo = 0;
};

// splitmix64: tiny, fast and fully determined by the seed
struct Rng
{
    std::uint64_t state;
    std::uint64_t next()
    {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    int below(int n) { return int(next() % std::uint64_t(n)); }
    Id uuid()
    {
        Id id { next(), next() };
        id.hi = (id.hi & ~0xF000ULL) | 0x4000ULL; // version 4
        id.lo = (id.lo & ~(3ULL << 62)) | (2ULL << 62); // RFC 4122 variant
        return id;
    }
};

// Formatting by hand: the demo bus must produce 500,000 events/s, and snprintf was half its time.
void appendUuid(QByteArray& out, const Id& id)
{
    static const char hex[] = "0123456789abcdef";
    char buf[36];
    int pos = 0;
    for (int i = 0; i < 32; ++i) {
        if (i == 8 || i == 12 || i == 16 || i == 20)
            buf[pos++] = '-';
        const std::uint64_t word = i < 16 ? id.hi : id.lo;
        buf[pos++] = hex[(word >> ((15 - (i % 16)) * 4)) & 0xF];
    }
    out.append(buf, 36);
}

void appendTime(QByteArray& out, qint64 us)
{
    // the date and time up to the second change once a second: format them then, not per event
    thread_local qint64 cachedSecond = -1;
    thread_local char prefix[64];
    const qint64 second = us / 1000000;
    if (second != cachedSecond) {
        const std::time_t secs = std::time_t(second);
        std::tm tm {};
        gmtime_r(&secs, &tm);
        std::snprintf(prefix, sizeof(prefix), "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
            tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        cachedSecond = second;
    }
    const int ms = int((us / 1000) % 1000);
    const char tail[6] = { '.', char('0' + ms / 100), char('0' + ms / 10 % 10), char('0' + ms % 10), 'Z', 0 };
    out.append(prefix, 19);
    out.append(tail, 5);
}

const char* const BookingStages[]
    = { "booking.created", "booking.validated", "booking.location_reserved", "booking.staff_assigned",
          "booking.confirmed", "booking.payment_captured", "booking.reminder_scheduled", "booking.completed" };
const char* const Locations[]
    = { "loc-berlin-01", "loc-berlin-02", "loc-hamburg-01", "loc-munich-03", "loc-cologne-02" };
const char* const Services[] = { "consultation", "installation", "maintenance", "inspection", "training" };
const char* const Channels[] = { "email", "sms", "in_app" };

enum class FlowKind { Booking, Auth, Notification, Staff, Location };

struct Flow
{
    FlowKind kind;
    Id correlation;
    Id last; ///< the event that causes the next one
    Id subject; ///< the notification event a retry is about
    int stage = 0;
    int attempt = 0;
    int channel = 0;
    int number = 0; ///< booking or user number
    qint64 dueUs = 0;
};

struct Breaker
{
    const char* name;
    enum State { Closed, Open, HalfOpen } state = Closed;
    int consecutiveFailures = 0;
    qint64 openedUs = 0;
};
const char* const StateNames[] = { "closed", "open", "half_open" };
} // namespace

struct DemoGenerator::Private
{
    Options options;
    Rng rng;
    std::uint64_t seq = 0;
    qint64 startUs = -1;
    std::vector<Flow> flows;
    std::array<Breaker, 2> breakers { Breaker { "email-gateway" }, Breaker { "sms-gateway" } };
    int nextBooking = 10000;
    int nextUser = 500;
    QByteArray payload;

    double failureProbability(int channel, qint64 nowUs) const
    {
        const double t = double(nowUs - startUs) / 1e6;
        if (channel == 0) {
            if (options.scenario == Scenario::Incident)
                return t >= options.incidentStartSeconds && t < options.incidentStartSeconds + options.incidentSeconds
                    ? 0.95
                    : 0.02;
            // a short degradation every two minutes
            const double phase = std::fmod(t, 120.0);
            return phase >= 30 && phase < 40 ? 0.8 : 0.03;
        }
        return channel == 1 ? 0.01 : 0.0;
    }

    void emit(QByteArray& out, qint64 us, const char* type, const Id& id, const Flow* flow, const Id* cause,
        const char* source)
    {
        ++seq;
        const bool ce = options.cloudEvents;
        out.append(ce ? "{\"specversion\":\"1.0\",\"id\":\"" : "{\"id\":\"");
        appendUuid(out, id);
        out.append("\",\"type\":\"");
        out.append(type);
        out.append(ce ? "\",\"time\":\"" : "\",\"timestamp\":\"");
        appendTime(out, us);
        out.append(ce ? "\",\"correlationid\":" : "\",\"correlationId\":");
        if (flow) {
            out.append('"');
            appendUuid(out, flow->correlation);
            out.append('"');
        } else {
            out.append("null");
        }
        out.append(ce ? ",\"causationid\":" : ",\"causationId\":");
        if (cause) {
            out.append('"');
            appendUuid(out, *cause);
            out.append('"');
        } else {
            out.append("null");
        }
        out.append(",\"source\":\"");
        out.append(source);
        if (ce) {
            out.append("\",\"sequence\":\"");
            out.append(QByteArray::number(qulonglong(seq)));
            out.append("\",\"datacontenttype\":\"application/json\",\"data\":");
        } else {
            out.append("\",\"seq\":");
            out.append(QByteArray::number(qulonglong(seq)));
            out.append(",\"payload\":");
        }
        out.append(payload);
        out.append('}');
    }

    void breakerTransition(QByteArray& out, qint64 us, Breaker& b, Breaker::State to, const char* reason)
    {
        payload.clear();
        payload += QByteArray("{\"breaker\":\"") + b.name + "\",\"from\":\"" + StateNames[b.state] + "\",\"to\":\""
            + StateNames[to] + "\",\"reason\":\"" + reason
            + "\",\"failureCount\":" + QByteArray::number(b.consecutiveFailures) + '}';
        b.state = to;
        if (to == Breaker::Open)
            b.openedUs = us;
        emit(out, us, "system.circuit_breaker.state_changed", rng.uuid(), nullptr, nullptr, "event-bus");
    }

    /// Delivery through a breaker-guarded handler; true when it went through.
    bool deliver(int channel, qint64 us, QByteArray& pending, bool& transitioned)
    {
        transitioned = false;
        if (channel == 2)
            return true;
        Breaker& b = breakers[std::size_t(channel)];
        if (b.state == Breaker::Open) {
            if (us - b.openedUs < 5000000)
                return false; // rejected without calling the gateway
            breakerTransition(pending, us, b, Breaker::HalfOpen, "cool-down elapsed");
            transitioned = true;
            return false;
        }
        const bool ok = rng.uniform() >= failureProbability(channel, us);
        if (ok) {
            b.consecutiveFailures = 0;
            if (b.state == Breaker::HalfOpen) {
                breakerTransition(pending, us, b, Breaker::Closed, "trial call succeeded");
                transitioned = true;
            }
        } else {
            ++b.consecutiveFailures;
            if (b.state == Breaker::HalfOpen || b.consecutiveFailures >= 5) {
                breakerTransition(pending, us, b, Breaker::Open,
                    b.state == Breaker::HalfOpen ? "trial call failed" : "failure threshold reached");
                transitioned = true;
            }
        }
        return ok;
    }

    void startFlow(qint64 us)
    {
        Flow f;
        f.correlation = rng.uuid();
        f.dueUs = us;
        const double r = rng.uniform();
        if (options.scenario == Scenario::Flood ? r < 0.75 : r < 0.55) {
            f.kind = FlowKind::Booking;
            f.number = nextBooking++;
        } else if (r < 0.8) {
            f.kind = FlowKind::Auth;
            f.number = nextUser++;
        } else if (r < 0.92) {
            f.kind = FlowKind::Staff;
            f.number = rng.below(400);
        } else {
            f.kind = FlowKind::Location;
            f.number = rng.below(5);
        }
        flows.push_back(f);
    }

    void step(std::size_t index, qint64 us, QByteArray& out);
};

void DemoGenerator::Private::step(std::size_t index, qint64 us, QByteArray& out)
{
    Flow& f = flows[index];
    std::optional<Flow> spawned; // pushed after f is no longer used: push_back may move f
    const Id id = rng.uuid();
    const Id* cause = f.stage == 0 ? nullptr : &f.last;
    bool finished = false;
    const QByteArray bookingId = "\"bookingId\":\"BK-" + QByteArray::number(f.number) + '"';
    switch (f.kind) {
    case FlowKind::Booking: {
        const int stage = f.stage;
        const char* type = BookingStages[stage];
        if (stage == 1 && rng.uniform() < 0.06)
            type = "booking.rejected";
        else if (stage >= 2 && stage <= 5 && rng.uniform() < 0.02)
            type = "booking.cancelled";
        payload.clear();
        payload += '{' + bookingId + ",\"customerId\":\"CU-" + QByteArray::number(f.number * 7 % 9000 + 1000)
            + "\",\"locationId\":\"" + Locations[f.number % 5] + "\",\"service\":\"" + Services[f.number % 5]
            + "\",\"slot\":\"2026-12-0" + QByteArray::number(f.number % 9 + 1) + "T"
            + QByteArray::number(8 + f.number % 9).rightJustified(2, '0')
            + ":00:00Z\",\"stage\":" + QByteArray::number(stage + 1) + '}';
        emit(out, us, type, id, &f, cause, "booking-service");
        f.last = id;
        ++f.stage;
        finished = std::strcmp(type, BookingStages[stage]) != 0 || f.stage == 8;
        if (stage == 4 && !finished) {
            // booking.confirmed notifies the customer through one of the channels
            Flow n;
            n.kind = FlowKind::Notification;
            n.correlation = f.correlation;
            n.last = id;
            n.number = f.number;
            n.channel = rng.below(3);
            n.dueUs = us + 2000 + rng.below(20000);
            spawned = n;
        }
        f.dueUs = us + 5000 + rng.below(200000);
        break;
    }
    case FlowKind::Auth: {
        static const char* const types[] = { "user.registered", "user.logged_in", "user.logged_out" };
        int stage = f.stage;
        if (stage == 0 && rng.uniform() < 0.7)
            stage = f.stage = 1; // most users already exist
        payload.clear();
        payload += "{\"userId\":\"U-" + QByteArray::number(f.number) + "\",\"method\":\""
            + (f.number % 3 ? "password" : "sso") + "\"}";
        emit(out, us, types[stage], id, &f, cause, "auth-service");
        f.last = id;
        f.stage = stage + 1;
        finished = f.stage >= 3;
        f.dueUs = us + 100000 + rng.below(2000000);
        break;
    }
    case FlowKind::Staff: {
        const bool assign = f.stage == 0;
        payload.clear();
        const bool available = rng.uniform() < 0.8;
        if (options.scenario == Scenario::SchemaChange && us - startUs >= qint64(options.incidentStartSeconds * 1e6))
            payload += "{\"staffId\":" + QByteArray::number(f.number) + ",\"locationId\":\"" + Locations[f.number % 5]
                + "\",\"isAvailable\":" + (available ? "true" : "false") + '}';
        else
            payload += "{\"staffId\":\"ST-" + QByteArray::number(f.number) + "\",\"locationId\":\""
                + Locations[f.number % 5] + "\",\"available\":" + (available ? "true" : "false") + '}';
        emit(out, us, assign ? "staff.availability_changed" : "staff.assigned", id, &f, cause, "staff-service");
        f.last = id;
        finished = ++f.stage >= 2;
        f.dueUs = us + 20000 + rng.below(100000);
        break;
    }
    case FlowKind::Location: {
        payload.clear();
        payload += "{\"locationId\":\"" + QByteArray(Locations[f.number])
            + "\",\"capacity\":" + QByteArray::number(10 + rng.below(40)) + ",\"openingHours\":\"08:00-18:00\"}";
        emit(out, us, f.stage == 0 ? "location.updated" : "location.capacity_changed", id, &f, cause,
            "location-service");
        f.last = id;
        finished = ++f.stage >= 2;
        f.dueUs = us + 50000;
        break;
    }
    case FlowKind::Notification: {
        const QByteArray channel = Channels[f.channel];
        if (f.stage == 0) {
            payload.clear();
            payload += '{' + bookingId + ",\"channel\":\"" + channel + "\",\"template\":\"booking-confirmed\"}";
            emit(out, us, "notification.created", id, &f, cause, "notification-service");
            f.subject = id;
            f.last = id;
            f.stage = 1;
            f.dueUs = us + 1000;
            break;
        }
        if (f.stage == 2) {
            payload.clear();
            payload += '{' + bookingId + ",\"channel\":\"" + channel + "\"}";
            emit(out, us, "notification.read", id, &f, cause, "notification-service");
            finished = true;
            break;
        }
        QByteArray transition;
        bool transitioned = false;
        const bool ok = deliver(f.channel, us, transition, transitioned);
        if (transitioned) {
            out.append(transition);
            out.append('\n');
        }
        const QByteArray handler = channel + "-handler";
        if (ok) {
            payload.clear();
            payload += '{' + bookingId + ",\"channel\":\"" + channel
                + "\",\"attempts\":" + QByteArray::number(f.attempt + 1) + '}';
            emit(out, us, "notification.delivered", id, &f, cause, handler.constData());
            f.last = id;
            f.stage = 2;
            finished = rng.uniform() < 0.5;
            f.dueUs = us + 500000 + rng.below(3000000);
            break;
        }
        const Breaker& b = breakers[std::size_t(f.channel)];
        const QByteArray error = b.state == Breaker::Open ? QByteArray("circuit open: call not attempted")
                                                          : channel + "-gateway timed out after 3000 ms";
        payload.clear();
        payload += "{\"handler\":\"" + handler + "\",\"eventId\":\"";
        appendUuid(payload, f.subject);
        payload += "\",\"eventType\":\"notification.created\",\"error\":\"" + error + "\"}";
        emit(out, us, "system.handler.failed", id, &f, &f.subject, "event-bus");
        out.append('\n');
        ++f.attempt;
        const Id next = rng.uuid();
        payload.clear();
        payload += "{\"eventId\":\"";
        appendUuid(payload, f.subject);
        if (f.attempt >= 5) {
            payload += "\",\"eventType\":\"notification.created\",\"attempts\":5,\"reason\":\"" + error + "\"}";
            emit(out, us, "system.event.dead_lettered", next, &f, &id, "event-bus");
            finished = true;
            break;
        }
        const int delay = 200 << (f.attempt - 1); // 200, 400, 800, 1600 ms
        payload += "\",\"eventType\":\"notification.created\",\"attempt\":" + QByteArray::number(f.attempt)
            + ",\"delayMs\":" + QByteArray::number(delay) + ",\"error\":\"" + error + "\"}";
        emit(out, us, "system.event.retry_scheduled", next, &f, &id, "event-bus");
        f.last = next;
        f.dueUs = us + qint64(delay) * 1000;
        break;
    }
    }
    if (finished) {
        flows[index] = flows.back();
        flows.pop_back();
    }
    if (spawned)
        flows.push_back(*spawned);
}

DemoGenerator::DemoGenerator(Options options)
    : d(std::make_unique<Private>())
{
    d->options = std::move(options);
    d->rng.state = d->options.seed;
    d->flows.reserve(4096);
}

DemoGenerator::~DemoGenerator() = default;

std::uint64_t DemoGenerator::count() const { return d->seq; }

void DemoGenerator::next(qint64 timeUs, QByteArray& out)
{
    if (d->startUs < 0)
        d->startUs = timeUs;
    // every 500 events a metrics report: the bus's own heartbeat
    if (d->seq % 500 == 499) {
        d->payload.clear();
        d->payload += "{\"activeFlows\":" + QByteArray::number(qulonglong(d->flows.size()))
            + ",\"queueDepth\":" + QByteArray::number(d->rng.below(50)) + '}';
        d->emit(out, timeUs, "system.metrics.reported", d->rng.uuid(), nullptr, nullptr, "event-bus");
        return;
    }
    // the platform's own complaints: a warning now and then, an error more often while a gateway fails
    if (d->seq % 250 == 124 || (d->breakers[0].state != Breaker::Closed && d->seq % 50 == 24)) {
        const bool error = d->breakers[0].state != Breaker::Closed;
        d->payload.clear();
        if (error) {
            d->payload
                += "{\"component\":\"email-gateway\",\"message\":\"gateway unreachable\",\"code\":\"E_GATEWAY\"}";
        } else {
            d->payload += "{\"component\":\"booking-service\",\"message\":\"slow query\",\"durationMs\":"
                + QByteArray::number(200 + d->rng.below(800)) + '}';
        }
        d->emit(out, timeUs, error ? "system.error" : "system.warning", d->rng.uuid(), nullptr, nullptr,
            error ? "notification-service" : "booking-service");
        return;
    }
    // advance a flow that is due, else start a new one (the pool of flows in flight stays bounded)
    for (int tries = 0; tries < 4 && !d->flows.empty(); ++tries) {
        const std::size_t i = std::size_t(d->rng.below(int(d->flows.size())));
        if (d->flows[i].dueUs <= timeUs && (d->flows.size() > 2000 || d->rng.uniform() < 0.8)) {
            d->step(i, timeUs, out);
            return;
        }
    }
    d->startFlow(timeUs);
    d->step(d->flows.size() - 1, timeUs, out);
}

bool DemoGenerator::parseScenario(const QString& name, Scenario& out)
{
    if (name == QLatin1String("steady"))
        out = Scenario::Steady;
    else if (name == QLatin1String("incident"))
        out = Scenario::Incident;
    else if (name == QLatin1String("flood"))
        out = Scenario::Flood;
    else if (name == QLatin1String("schema-change"))
        out = Scenario::SchemaChange;
    else
        return false;
    return true;
}
