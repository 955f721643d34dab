// SPDX-License-Identifier: MIT
#pragma once
// A JetStream stream managed and fed through the official NATS C client (cnats, over plain TCP), as a
// service of the platform would: for the tests that read streams against a real nats-server.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QtGlobal>
#include <nats/nats.h>

/// A stream managed and fed through cnats, as a service of the platform would.
class JetStreamAdmin
{
public:
    explicit JetStreamAdmin(quint16 port)
    {
        const QByteArray url = "nats://127.0.0.1:" + QByteArray::number(port);
        m_status = natsConnection_ConnectTo(&m_nc, url.constData());
        if (m_status == NATS_OK)
            m_status = natsConnection_JetStream(&m_js, m_nc, nullptr);
    }
    ~JetStreamAdmin()
    {
        natsSubscription_Destroy(m_sub);
        jsCtx_Destroy(m_js);
        natsConnection_Destroy(m_nc);
    }
    bool ok() const { return m_status == NATS_OK; }
    QString error() const { return QString::fromUtf8(natsStatus_GetText(m_status)); }

    bool addStream(const char* name, const char* subjects, int replicas = 1)
    {
        jsStreamConfig cfg;
        jsStreamConfig_Init(&cfg);
        cfg.Name = name;
        cfg.Replicas = replicas;
        const char* list[] = { subjects };
        cfg.Subjects = list;
        cfg.SubjectsLen = 1;
        cfg.Storage = js_FileStorage;
        jsStreamInfo* si = nullptr;
        jsErrCode code = jsErrCode(0);
        m_status = js_AddStream(&si, m_js, &cfg, nullptr, &code);
        jsStreamInfo_Destroy(si);
        return m_status == NATS_OK;
    }
    /// Publishes envelopes `from`..`to` (ids e<N>) on `subject`, waiting for every acknowledgement.
    bool publish(int from, int to, const char* subject = "bus.booking.created")
    {
        for (int n = from; n <= to; ++n) {
            const QByteArray body = envelope(n, subject);
            m_status = js_PublishAsync(m_js, subject, body.constData(), int(body.size()), nullptr);
            if (m_status != NATS_OK)
                return false;
        }
        jsPubOptions o;
        jsPubOptions_Init(&o);
        o.MaxWait = 20000;
        m_status = js_PublishAsyncComplete(m_js, &o);
        return m_status == NATS_OK;
    }
    /// Publishes each of `bodies` as it is on `subject`, waiting for every acknowledgement.
    bool publishBodies(const QList<QByteArray>& bodies, const char* subject)
    {
        for (const QByteArray& body : bodies) {
            m_status = js_PublishAsync(m_js, subject, body.constData(), int(body.size()), nullptr);
            if (m_status != NATS_OK)
                return false;
        }
        jsPubOptions o;
        jsPubOptions_Init(&o);
        o.MaxWait = 20000;
        m_status = js_PublishAsyncComplete(m_js, &o);
        return m_status == NATS_OK;
    }
    /// A service's durable pull consumer: takes `fetch` messages and acknowledges the first `acks` of
    /// them; the rest wait for their acknowledgement (and are delivered again after `ackWaitMs`).
    bool serve(const char* durable, int fetch, int acks, qint64 ackWaitMs)
    {
        if (!m_sub) {
            jsSubOptions so;
            jsSubOptions_Init(&so);
            so.Config.AckWait = ackWaitMs * 1000000; // nanoseconds
            jsErrCode code = jsErrCode(0);
            m_status = js_PullSubscribe(&m_sub, m_js, "bus.>", durable, nullptr, &so, &code);
            if (m_status != NATS_OK)
                return false;
        }
        natsMsgList list { nullptr, 0 };
        jsErrCode code = jsErrCode(0);
        m_status = natsSubscription_Fetch(&list, m_sub, fetch, 5000, &code);
        if (m_status != NATS_OK)
            return false;
        for (int i = 0; i < list.Count && i < acks; ++i)
            natsMsg_AckSync(list.Msgs[i], nullptr, nullptr);
        natsMsgList_Destroy(&list);
        return true;
    }
    /// The stream answers (it has a leader).
    bool streamReady(const char* stream)
    {
        jsStreamInfo* si = nullptr;
        jsErrCode code = jsErrCode(0);
        m_status = js_GetStreamInfo(&si, m_js, stream, nullptr, &code);
        jsStreamInfo_Destroy(si);
        return m_status == NATS_OK;
    }
    bool deleteMessage(const char* stream, quint64 seq)
    {
        jsErrCode code = jsErrCode(0);
        m_status = js_DeleteMsg(m_js, stream, seq, nullptr, &code);
        return m_status == NATS_OK;
    }
    static QByteArray envelope(int n, const char* subject)
    {
        return R"({"id":"e)" + QByteArray::number(n) + R"(","type":")" + QByteArray(subject).mid(4)
            + R"(","payload":{"n":)" + QByteArray::number(n) + "}}";
    }

private:
    natsConnection* m_nc = nullptr;
    jsCtx* m_js = nullptr;
    natsSubscription* m_sub = nullptr;
    natsStatus m_status = NATS_OK;
};
