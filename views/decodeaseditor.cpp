// SPDX-License-Identifier: MIT
#include "decodeaseditor.h"

#include "colours.h"

#include <QComboBox>
#include <QCryptographicHash>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QVBoxLayout>

namespace {
constexpr int Automatic = -1;
constexpr int Fields = -2;

QString settingsKey(const QString& fileOrUrl)
{
    return QStringLiteral("decodeAs/")
        + QString::fromLatin1(QCryptographicHash::hash(fileOrUrl.toUtf8(), QCryptographicHash::Sha1).toHex());
}
} // namespace

DecodeAs DecodeAsEditor::remembered(const QString& fileOrUrl)
{
    const std::optional<DecodeAs> kept = DecodeAs::fromText(QSettings().value(settingsKey(fileOrUrl)).toString());
    return kept ? *kept : DecodeAs();
}

void DecodeAsEditor::remember(const QString& fileOrUrl, const DecodeAs& choice)
{
    QSettings settings;
    if (choice.isAutomatic())
        settings.remove(settingsKey(fileOrUrl));
    else
        settings.setValue(settingsKey(fileOrUrl), choice.toText());
}

DecodeAsEditor::DecodeAsEditor(QWidget* parent)
    : QWidget(parent)
    , m_profile(new QComboBox(this))
    , m_fields(new QWidget(this))
    , m_error(new QLabel(this))
{
    m_profile->setObjectName(QStringLiteral("decodeAs"));
    m_profile->addItem(tr("Detect per event"), Automatic);
    for (int p = 0; p < EventProfiles::Count; ++p) {
        if (EventProfile(p) != EventProfile::Custom)
            m_profile->addItem(EventProfiles::title(EventProfile(p)), p);
    }
    m_profile->addItem(tr("Fields mapped by hand"), Fields);
    m_profile->setToolTip(tr("How events are read: the envelope is detected per event, or every event is read as "
                             "one envelope, or each role is read from a field you name (a dotted path: "
                             "metadata.corr)"));
    auto* form = new QFormLayout(m_fields);
    form->setContentsMargins(0, 0, 0, 0);
    for (const QString& role : DecodeAs::roles()) {
        auto* edit = new QLineEdit(m_fields);
        edit->setObjectName(QStringLiteral("field-") + role);
        edit->setMaxLength(DecodeAs::MaxPathLength);
        edit->setPlaceholderText(tr("as in the native envelope"));
        form->addRow(role, edit);
        m_paths.push_back(edit);
        connect(edit, &QLineEdit::textChanged, this, [this] {
            update();
            Q_EMIT changed();
        });
    }
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: %1").arg(Colours::alarmText(palette()).name()));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_profile);
    layout->addWidget(m_fields);
    layout->addWidget(m_error);
    connect(m_profile, &QComboBox::currentIndexChanged, this, [this] {
        update();
        Q_EMIT changed();
    });
    update();
}

QLineEdit* DecodeAsEditor::fieldEdit(const QString& role) const
{
    const auto& roles = DecodeAs::roles();
    for (std::size_t i = 0; i < roles.size(); ++i)
        if (roles[i] == role)
            return m_paths[i];
    return nullptr;
}

void DecodeAsEditor::setChoice(const DecodeAs& choice)
{
    const int data = choice.profile ? int(*choice.profile) : choice.fields.empty() ? Automatic : Fields;
    for (QLineEdit* e : m_paths)
        e->clear();
    for (const auto& [role, path] : choice.fields)
        if (QLineEdit* e = fieldEdit(role))
            e->setText(path);
    m_profile->setCurrentIndex(std::max(0, m_profile->findData(data)));
    update();
}

std::optional<DecodeAs> DecodeAsEditor::choice(QString* error) const
{
    DecodeAs out;
    const int data = m_profile->currentData().toInt();
    if (data >= 0) {
        out.profile = EventProfile(data);
        return out;
    }
    if (data == Automatic)
        return out;
    const auto& roles = DecodeAs::roles();
    for (std::size_t i = 0; i < roles.size(); ++i) {
        const QString path = m_paths[i]->text().trimmed();
        if (!path.isEmpty() && !out.addField(roles[i], path, error))
            return std::nullopt;
    }
    if (out.fields.empty()) {
        if (error)
            *error = tr("Name the field of at least one role");
        return std::nullopt;
    }
    return out;
}

void DecodeAsEditor::update()
{
    m_fields->setVisible(m_profile->currentData().toInt() == Fields);
    QString why;
    const bool valid = choice(&why).has_value();
    m_error->setText(valid ? QString() : why);
    m_error->setVisible(!valid);
}
