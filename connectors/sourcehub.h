// SPDX-License-Identifier: MIT
#pragma once

#include "demobus.h"
#include "websocketsource.h"

#include <QObject>
#include <QThread>
#include <memory>
#include <vector>

class CaptureRecorder;
class CredentialStore;
class QTimer;
class Session;

/// The sources feeding one session: the embedded demo bus (on its own thread, watched through the real
/// WebSocket path) and any number of bus connections, each with its own origin. Batches from every
/// source come out of batchReady(); the combined status text (reconnect countdowns included) and drop
/// count are kept current.
class SourceHub : public QObject
{
    Q_OBJECT
public:
    explicit SourceHub(Session& session, QObject* parent = nullptr);
    ~SourceHub() override;

    bool startDemo(const DemoBus::Options& options, QString* error);
    void connectTo(const ConnectionSettings& given);
    /// connectTo(), with the system keychain: typed secrets are remembered there when `remember` is
    /// set; when none are typed, remembered ones are filled in. Never stored anywhere else: without a
    /// keychain nothing is remembered and notice() says so.
    void connectRemembering(ConnectionSettings settings, bool remember);
    void stopAll();
    /// Checks payloads against `schemas` on every connection, those made later too (null: none).
    void setSchemas(std::shared_ptr<const SchemaRegistry> schemas);
    std::size_t count() const { return m_sources.size(); }

    /// One connection as the user sees it.
    struct Connection
    {
        quint16 origin = 0;
        QString name; ///< the URL, redacted
        bool demo = false;
        bool active = false; ///< not disconnected by the user
        bool waiting = false; ///< connecting or waiting out a reconnect's backoff
    };
    std::vector<Connection> connections() const;
    /// Closes the connection of `origin` and stops reconnecting; its events stay in the session and
    /// the status says when it was disconnected. The demo bus stops with its connection.
    void disconnectOrigin(quint16 origin);
    void disconnectAll();
    /// Every connection waiting out a reconnect's backoff tries now.
    void retryNow();

    /// Records every connection, and those added later, into one capture (each under its own
    /// origin) until stopRecording(). False with `error` when the file cannot be created.
    bool startRecording(const QString& path, QString* error);
    /// Closes the capture; false with `error` when it could not be written completely.
    bool stopRecording(QString* error);
    bool isRecording() const { return m_recorder != nullptr; }
    QString recordingPath() const;
    quint64 framesRecorded() const;

Q_SIGNALS:
    void batchReady(const std::shared_ptr<DecodedBatch>& batch);
    void statusTextChanged(const QString& text);
    void droppedChanged(quint64 dropped);
    void sourceAdded();
    /// Something the user should know that is not a connection state (a keychain that refused).
    void notice(const QString& text);
    /// Recording stopped by itself (a full disk): the file holds everything before.
    void recordingFailed(const QString& error);

private:
    struct Source
    {
        std::unique_ptr<WebSocketSource> source;
        QString name;
        quint16 origin = 0;
        ConnectionStatus status;
        bool demo = false;
        qint64 disconnectedAtMs = 0; ///< by the user (0: not)
    };
    void stopDemoBus();
    void updateStatus();

    Session& m_session;
    QThread m_busThread;
    DemoBus* m_bus = nullptr;
    std::vector<std::unique_ptr<Source>> m_sources;
    QTimer* m_tick;
    CredentialStore* m_credentials;
    std::shared_ptr<CaptureRecorder> m_recorder;
    std::shared_ptr<const SchemaRegistry> m_schemas;
};
