// SPDX-License-Identifier: MIT
#include "startpage.h"

#include "busurl.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
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
    form->addRow(tr("URL (ws, wss, nats+ws, mqtt+ws):"), m_url);
    form->addRow(tr("Token:"), m_token);
    form->addRow(QString(), m_tokenInQuery);
    form->addRow(tr("CA certificates:"), ca);
    form->addRow(QString(), m_insecure);
    m_remember->setToolTip(tr("Kept only in the system keychain, never in a file. Leave the token empty next time to "
                              "use the remembered one."));
    form->addRow(QString(), m_remember);
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
    connect(m_url, &QComboBox::currentTextChanged, this, [this](const QString& text) {
        if (m_lookup)
            m_decodeAs->setChoice(m_lookup(text.trimmed()));
    });
    connect(m_decodeAs, &DecodeAsEditor::changed, this, &ConnectDialog::validate);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(
            this, tr("CA certificates"), QString(), tr("PEM files (*.pem *.crt);;All files (*)"));
        if (!f.isEmpty())
            m_caFile->setText(f);
    });
    validate();
}

ConnectDialog::~ConnectDialog() = default;

bool ConnectDialog::isSupportedScheme(const QString& scheme)
{
    static const QStringList schemes { QStringLiteral("ws"), QStringLiteral("wss"), QStringLiteral("nats+ws"),
        QStringLiteral("nats+wss"), QStringLiteral("mqtt+ws"), QStringLiteral("mqtt+wss") };
    return schemes.contains(scheme.toLower());
}

void ConnectDialog::setUrl(const QString& url) { m_url->setCurrentText(url); }

void ConnectDialog::setRememberedChoices(std::function<DecodeAs(const QString& url)> lookup)
{
    m_lookup = std::move(lookup);
    if (m_lookup)
        m_decodeAs->setChoice(m_lookup(m_url->currentText().trimmed()));
}

void ConnectDialog::validate()
{
    const QUrl url(m_url->currentText().trimmed());
    const bool ok
        = url.isValid() && isSupportedScheme(url.scheme()) && !url.host().isEmpty() && m_decodeAs->choice().has_value();
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
    r.url = QUrl(m_url->currentText().trimmed());
    r.token = m_token->text();
    r.tokenInQuery = m_tokenInQuery->isChecked();
    r.caFile = m_caFile->text().trimmed();
    r.acceptInvalidCertificates = m_insecure->isChecked();
    r.remember = m_remember->isChecked();
    r.decodeAs = m_decodeAs->choice().value_or(DecodeAs());
    return r;
}

StartPage::StartPage(QWidget* parent)
    : QWidget(parent)
    , m_recent(new QListWidget(this))
    , m_recentCaptures(new QListWidget(this))
{
    setObjectName(QStringLiteral("startPage"));
    auto* title = new QLabel(tr("<h1>EventScope</h1><p>Watch an event bus live: rates, chains, breakers, retries "
                                "and dead letters.</p>"),
        this);
    auto* demo = new QPushButton(tr("Start the demo bus"), this);
    demo->setToolTip(tr("A realistic workforce-management bus, with an incident, on this machine"));
    auto* connectButton = new QPushButton(tr("Connect to a bus..."), this);
    auto* open = new QPushButton(tr("Open a capture..."), this);
    open->setToolTip(tr("A recorded session, an NDJSON or JSON dump, or a browser's HAR file (Ctrl+O)"));
    for (QPushButton* b : { demo, connectButton, open })
        b->setMinimumHeight(36);
    m_recent->setAccessibleName(tr("Recent connections"));
    m_recent->setMaximumHeight(160);
    m_recentCaptures->setAccessibleName(tr("Recent captures"));
    m_recentCaptures->setMaximumHeight(160);
    auto* column = new QVBoxLayout;
    column->addWidget(title);
    column->addWidget(demo);
    column->addWidget(connectButton);
    column->addWidget(open);
    column->addWidget(new QLabel(tr("Recent connections:"), this));
    column->addWidget(m_recent);
    column->addWidget(new QLabel(tr("Recent captures:"), this));
    column->addWidget(m_recentCaptures);
    column->addStretch(1);
    auto* outer = new QHBoxLayout(this);
    outer->addStretch(1);
    outer->addLayout(column, 2);
    outer->addStretch(1);
    connect(demo, &QPushButton::clicked, this, &StartPage::demoRequested);
    connect(connectButton, &QPushButton::clicked, this, [this] { Q_EMIT connectRequested(QString()); });
    connect(open, &QPushButton::clicked, this, [this] { Q_EMIT openRequested(QString()); });
    connect(m_recentCaptures, &QListWidget::itemActivated, this,
        [this](QListWidgetItem* item) { Q_EMIT openRequested(item->data(Qt::UserRole).toString()); });
    connect(m_recent, &QListWidget::itemActivated, this,
        [this](QListWidgetItem* item) { Q_EMIT connectRequested(item->text()); });
}

StartPage::~StartPage() = default;

void StartPage::setRecent(const QStringList& urls)
{
    m_recent->clear();
    m_recent->addItems(urls);
}

void StartPage::setRecentCaptures(const QStringList& paths)
{
    m_recentCaptures->clear();
    for (const QString& path : paths) {
        auto* item = new QListWidgetItem(QFileInfo(path).fileName(), m_recentCaptures);
        item->setData(Qt::UserRole, path);
        item->setToolTip(path);
    }
}
