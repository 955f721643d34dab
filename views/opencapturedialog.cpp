// SPDX-License-Identifier: MIT
#include "opencapturedialog.h"

#include "decodeaseditor.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QMessageBox>

bool OpenCaptureDialog::ask(
    QWidget* parent, const QString& directory, bool remembered, QString* path, DecodeAs* decodeAs)
{
    QFileDialog dialog(parent, QFileDialog::tr("Open a capture"), directory,
        QFileDialog::tr("Captures (*.escap *.ndjson *.jsonl *.json *.har *.gz *.zst);;All files (*)"));
    dialog.setOption(QFileDialog::DontUseNativeDialog);
    dialog.setFileMode(QFileDialog::ExistingFile);
    auto* editor = new DecodeAsEditor(&dialog);
    if (auto* grid = qobject_cast<QGridLayout*>(dialog.layout())) {
        const int row = grid->rowCount();
        grid->addWidget(new QLabel(QFileDialog::tr("Decode as:"), &dialog), row, 0);
        grid->addWidget(editor, row, 1, 1, grid->columnCount() - 1);
    }
    QObject::connect(&dialog, &QFileDialog::currentChanged, editor, [remembered, editor](const QString& file) {
        if (remembered && QFileInfo(file).isFile())
            editor->setChoice(DecodeAsEditor::remembered(QFileInfo(file).absoluteFilePath()));
    });
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return false;
    QString why;
    const std::optional<DecodeAs> choice = editor->choice(&why);
    if (!choice) {
        QMessageBox::warning(
            parent, QFileDialog::tr("Cannot open the capture"), QFileDialog::tr("Decode as: %1").arg(why));
        return false;
    }
    *path = dialog.selectedFiles().constFirst();
    *decodeAs = *choice;
    return true;
}
