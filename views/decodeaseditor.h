// SPDX-License-Identifier: MIT
#pragma once

#include "decodeas.h"

#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;

/// "Decode as": detected per event, one envelope profile, or fields mapped by hand (a dotted path for
/// each role). Part of the Open and Connect dialogs.
class DecodeAsEditor : public QWidget
{
    Q_OBJECT
public:
    explicit DecodeAsEditor(QWidget* parent = nullptr);

    void setChoice(const DecodeAs& choice);
    /// The choice; nothing (and `error` set) while a mapped field is not valid.
    std::optional<DecodeAs> choice(QString* error = nullptr) const;
    QComboBox* profileBox() const { return m_profile; }
    QLineEdit* fieldEdit(const QString& role) const;

    /// The choice last made for a file (its absolute path) or a URL (without credentials), kept in
    /// QSettings under a hash of it; automatic when none was, or when the setting is not a choice.
    static DecodeAs remembered(const QString& fileOrUrl);
    static void remember(const QString& fileOrUrl, const DecodeAs& choice);

Q_SIGNALS:
    void changed();

private:
    void update();

    QComboBox* m_profile;
    QWidget* m_fields;
    std::vector<QLineEdit*> m_paths; ///< per DecodeAs::roles()
    QLabel* m_error;
};
