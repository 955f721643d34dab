// SPDX-License-Identifier: MIT
#pragma once

#include "decodeaseditor.h"
#include "rememberedconnection.h"

#include <QDialog>
#include <QUrl>
#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

/// What the user asked to connect to. The token is kept in memory only (never in settings).
struct ConnectionRequest
{
    DecodeAs decodeAs; ///< how its events are read
    QUrl url;
    QString token;
    bool tokenInQuery = false;
    QString caFile;
    bool acceptInvalidCertificates = false;
    bool remember = false; ///< keep the token, password and secret headers in the system keychain
    QList<QPair<QString, QString>> headers; ///< extra request headers
    QStringList types; ///< globs of the types to subscribe to (empty: all)
};

/// Connect to a bus: URL, bearer token (sent as a header or a query parameter), extra headers, a type
/// filter, TLS options, recent URLs; what was chosen last for a URL comes back with it.
class ConnectDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ConnectDialog(const QStringList& recent, QWidget* parent = nullptr);
    ~ConnectDialog() override;

    void setUrl(const QString& url);
    ConnectionRequest request() const;
    DecodeAsEditor* decodeAs() const { return m_decodeAs; }
    /// What was chosen last for a URL: how to decode it, its headers that are not secret, its types.
    struct Remembered
    {
        DecodeAs decodeAs;
        RememberedConnection connection;
    };
    /// Where the choices made last for a URL come from (none: every URL starts afresh).
    void setRememberedChoices(std::function<Remembered(const QString& url)> lookup);

Q_SIGNALS:
    /// "Pick a stream..." for the NATS server typed: the stream picker should take over.
    void streamPickRequested(const QString& server);

private:
    void validate();

    QComboBox* m_url;
    QLineEdit* m_token;
    QCheckBox* m_tokenInQuery;
    QLineEdit* m_caFile;
    QCheckBox* m_insecure;
    QCheckBox* m_remember;
    DecodeAsEditor* m_decodeAs;
    QPlainTextEdit* m_headers;
    QLineEdit* m_types;
    QLabel* m_headersError;
    std::function<Remembered(const QString&)> m_lookup;
    void recall(const QString& url);
    QPushButton* m_ok = nullptr;
};
