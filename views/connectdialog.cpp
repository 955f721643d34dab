// SPDX-License-Identifier: MIT
#include "connectdialog.h"

#include "busurl.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

ConnectDialog::ConnectDialog(const QStringList& recent, QWidget* parent)
    : QDialog(parent)
    , m_url(new QComboBox(this))
    , m_token(new QLineEdit(this))
    , m_tokenInQuery(new QCheckBox(tr("Send the token as a ?token= query parameter instead of a header"), this))
    , m_caFile(new QLineEdit(this))
    , m_insecure(new QCheckBox(tr("Accept an invalid certificate for this connection (unsafe)"), this))
    , m_remember(new QCheckBox(tr("Remember the token and password in the system keychain"), this))
    , m_decodeAs(new DecodeAsEditor(this))
    , m_headers(new QPlainTextEdit(this))
    , m_types(new QLineEdit(this))
    , m_headersError(new QLabel(this))
{
    setWindowTitle(tr("Connect to a bus"));
    m_url->setEditable(true);
    m_url->addItems(recent);
    m_url->setCurrentText(recent.isEmpty() ? QStringLiteral("ws://localhost:8080/events") : recent.constFirst());
    m_url->setAccessibleName(tr("Bus URL"));
    m_url->setMinimumWidth(420);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("optional; empty: the one remembered in the keychain, if any"));
    m_token->setToolTip(tr("A bus gets it as a bearer token; NATS as auth_token; MQTT as the password"));
    m_token->setAccessibleName(tr("Token"));
    m_caFile->setPlaceholderText(tr("optional PEM file of extra CA certificates"));
    auto* browse = new QPushButton(tr("Browse..."), this);
    auto* ca = new QHBoxLayout;
    ca->addWidget(m_caFile, 1);
    ca->addWidget(browse);
    auto* form = new QFormLayout;
    // a NATS server's JetStream streams, to pick one and what of it to read (File > Open bus history)
    auto* pickStream = new QPushButton(tr("Pick a &stream..."), this);
    pickStream->setToolTip(tr("List this NATS server's JetStream streams and read the part of one you pick"));
    auto* urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(pickStream);
    form->addRow(tr("URL (ws, wss, nats+ws, mqtt+ws):"), urlRow);
    form->addRow(tr("Token:"), m_token);
    form->addRow(QString(), m_tokenInQuery);
    form->addRow(tr("CA certificates:"), ca);
    form->addRow(QString(), m_insecure);
    m_remember->setToolTip(tr("Kept only in the system keychain, never in a file. Leave the token empty next time to "
                              "use the remembered one."));
    form->addRow(QString(), m_remember);
    m_headers->setPlaceholderText(tr("optional, one per line: X-Tenant: acme"));
    m_headers->setAccessibleName(tr("Extra headers"));
    m_headers->setTabChangesFocus(true);
    m_headers->setFixedHeight(m_headers->fontMetrics().lineSpacing() * 3 + 12);
    m_headers->setToolTip(tr("Sent with the WebSocket upgrade. Headers whose names say they hold a secret "
                             "(Authorization, Cookie, *-Token, *-Key, ...) are remembered only in the keychain, "
                             "and only when asked to."));
    form->addRow(tr("Extra headers:"), m_headers);
    m_headersError->setForegroundRole(QPalette::PlaceholderText);
    m_headersError->hide();
    form->addRow(QString(), m_headersError);
    m_types->setPlaceholderText(tr("optional: booking.*, user.*  (empty: every type)"));
    m_types->setAccessibleName(tr("Types"));
    m_types->setToolTip(tr("Globs of the event types to subscribe to; the bus sends only those"));
    form->addRow(tr("Only types:"), m_types);
    form->addRow(tr("Decode as:"), m_decodeAs);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Connect"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_url, &QComboBox::currentTextChanged, this, &ConnectDialog::validate);
    connect(m_url, &QComboBox::currentTextChanged, this, [this](const QString& text) { recall(text); });
    connect(m_headers, &QPlainTextEdit::textChanged, this, &ConnectDialog::validate);
    connect(m_decodeAs, &DecodeAsEditor::changed, this, &ConnectDialog::validate);
    const auto natsOnly = [this, pickStream] {
        pickStream->setEnabled(BusUrl::fromText(m_url->currentText().trimmed()).scheme().startsWith(u"nats+ws"));
    };
    natsOnly();
    connect(m_url, &QComboBox::currentTextChanged, this, natsOnly);
    connect(pickStream, &QPushButton::clicked, this, [this] { Q_EMIT streamPickRequested(m_url->currentText()); });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(
            this, tr("CA certificates"), QString(), tr("PEM files (*.pem *.crt);;All files (*)"));
        if (!f.isEmpty())
            m_caFile->setText(f);
    });
    validate();
}

ConnectDialog::~ConnectDialog() = default;

void ConnectDialog::setUrl(const QString& url) { m_url->setCurrentText(url); }

void ConnectDialog::setRememberedChoices(std::function<Remembered(const QString& url)> lookup)
{
    m_lookup = std::move(lookup);
    recall(m_url->currentText());
}

void ConnectDialog::recall(const QString& url)
{
    if (!m_lookup)
        return;
    const Remembered r = m_lookup(url.trimmed());
    m_decodeAs->setChoice(r.decodeAs);
    m_headers->setPlainText(RememberedConnection::headersText(r.connection.headers));
    m_types->setText(r.connection.types.join(QStringLiteral(", ")));
}

void ConnectDialog::validate()
{
    const QUrl url = BusUrl::fromText(m_url->currentText());
    QList<QPair<QString, QString>> headers;
    QString headersError;
    const bool headersOk = RememberedConnection::parseHeaders(m_headers->toPlainText(), &headers, &headersError);
    m_headersError->setText(headersOk ? QString() : tr("Extra headers: %1").arg(headersError));
    m_headersError->setVisible(!headersOk);
    const bool ok = url.isValid() && BusUrl::isSupportedScheme(url.scheme()) && !url.host().isEmpty()
        && m_decodeAs->choice().has_value() && headersOk;
    m_ok->setEnabled(ok);
    const QString hint = BusUrl::missingSchemeHint(m_url->currentText());
    m_url->setToolTip(ok ? QString()
            : !hint.isEmpty()
            ? hint
            : tr("A URL with a host: ws:// or wss:// for an EventScope bus, nats+ws:// (?subject=) or "
                 "mqtt+ws:// (?topic=) for a broker's WebSocket endpoint, or their +wss forms"));
}

ConnectionRequest ConnectDialog::request() const
{
    ConnectionRequest r;
    r.url = BusUrl::fromText(m_url->currentText());
    r.token = m_token->text();
    r.tokenInQuery = m_tokenInQuery->isChecked();
    r.caFile = m_caFile->text().trimmed();
    r.acceptInvalidCertificates = m_insecure->isChecked();
    r.remember = m_remember->isChecked();
    r.decodeAs = m_decodeAs->choice().value_or(DecodeAs());
    QString ignored;
    RememberedConnection::parseHeaders(m_headers->toPlainText(), &r.headers, &ignored);
    r.types = RememberedConnection::parseTypes(m_types->text());
    return r;
}
