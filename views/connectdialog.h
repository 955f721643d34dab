// SPDX-License-Identifier: MIT
#pragma once

#include "decodeaseditor.h"

#include <QDialog>
#include <QUrl>
#include <functional>

class QCheckBox;
class QComboBox;
class QLineEdit;
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
    bool remember = false; ///< keep the token and password in the system keychain
};

/// Connect to a bus: URL, bearer token (sent as a header or a query parameter), TLS options, recent URLs.
class ConnectDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ConnectDialog(const QStringList& recent, QWidget* parent = nullptr);
    ~ConnectDialog() override;

    void setUrl(const QString& url);
    ConnectionRequest request() const;
    DecodeAsEditor* decodeAs() const { return m_decodeAs; }
    /// Where the choice made last for a URL comes from (none: every URL starts with detection).
    void setRememberedChoices(std::function<DecodeAs(const QString& url)> lookup);

private:
    void validate();

    QComboBox* m_url;
    QLineEdit* m_token;
    QCheckBox* m_tokenInQuery;
    QLineEdit* m_caFile;
    QCheckBox* m_insecure;
    QCheckBox* m_remember;
    DecodeAsEditor* m_decodeAs;
    std::function<DecodeAs(const QString&)> m_lookup;
    QPushButton* m_ok = nullptr;
};
