// SPDX-License-Identifier: MIT
#include "recordingcontrols.h"

#include "flightrecorder.h"
#include "mainwindow.h"
#include "session.h"
#include "sourcehub.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QTimer>

namespace {
qint64 nowUs() { return QDateTime::currentMSecsSinceEpoch() * 1000; }
} // namespace

RecordingControls::RecordingControls(
    MainWindow& window, const Session& session, SourceHub& sources, bool persistent, QObject* parent)
    : QObject(parent)
    , m_window(window)
    , m_session(session)
    , m_sources(sources)
    , m_flight(new FlightRecorder(session, this))
    , m_rec(new QLabel(&window))
    , m_tick(new QTimer(this))
    , m_persistent(persistent)
{
    QMenu* file = window.fileMenu();
    QAction* before = window.quitAction();
    m_record = new QAction(tr("&Record to a capture..."), this);
    m_record->setShortcut(QKeySequence(tr("Ctrl+R")));
    m_record->setCheckable(true);
    connect(m_record, &QAction::triggered, this, [this](bool on) {
        if (on)
            askToRecord();
        else
            stopRecording();
    });
    auto* save = new QAction(tr("&Save the last minutes..."), this);
    save->setShortcut(QKeySequence(tr("Ctrl+Shift+S")));
    connect(save, &QAction::triggered, this, &RecordingControls::askToSave);
    auto* flight = new QAction(tr("&Flight recorder..."), this);
    connect(flight, &QAction::triggered, this, &RecordingControls::editFlightRecorder);
    file->insertAction(before, m_record);
    file->insertAction(before, save);
    file->insertAction(before, flight);
    file->insertSeparator(before);

    m_rec->setText(tr("● REC"));
    m_rec->setStyleSheet(QStringLiteral("color: #c62828; font-weight: bold;"));
    m_rec->setAccessibleName(tr("Recording"));
    m_rec->hide();
    window.statusBar()->addPermanentWidget(m_rec);

    connect(&sources, &SourceHub::recordingFailed, this, [this](const QString& error) {
        m_record->setChecked(false);
        m_rec->hide();
        QMessageBox::warning(&m_window, tr("Recording stopped"), error);
    });
    connect(m_flight, &FlightRecorder::triggered, this, [this](const QString& reason) {
        m_window.showNotice(tr("Flight recorder: %1; saving the minutes around it").arg(reason));
    });
    connect(m_flight, &FlightRecorder::saved, this, [this](const QString& path, quint64 events, const QString& note) {
        QString text = tr("Saved %L1 events to %2").arg(events).arg(path);
        if (!note.isEmpty())
            text += QStringLiteral(" (") + note + u')';
        m_window.showNotice(text);
    });
    connect(m_flight, &FlightRecorder::failed, this,
        [this](const QString& error) { QMessageBox::warning(&m_window, tr("Flight recorder"), error); });
    // the triggers look once a second; the REC label counts what was written
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] {
        m_flight->check(nowUs());
        if (m_sources.isRecording())
            m_rec->setToolTip(
                tr("Recording %L1 frames to %2").arg(m_sources.framesRecorded()).arg(m_sources.recordingPath()));
    });
    m_tick->start();
    if (m_persistent)
        loadOptions();
}

RecordingControls::~RecordingControls() = default;

bool RecordingControls::startRecording(const QString& path)
{
    QString error;
    if (!m_sources.startRecording(path, &error)) {
        m_record->setChecked(false);
        QMessageBox::warning(&m_window, tr("Cannot record"), error);
        return false;
    }
    m_record->setChecked(true);
    m_rec->show();
    m_window.showNotice(tr("Recording every connection to %1").arg(path));
    return true;
}

void RecordingControls::stopRecording()
{
    const QString path = m_sources.recordingPath();
    QString error;
    if (!m_sources.stopRecording(&error))
        QMessageBox::warning(&m_window, tr("Recording"), error);
    else if (!path.isEmpty())
        m_window.showNotice(tr("Recorded to %1").arg(path));
    m_record->setChecked(false);
    m_rec->hide();
}

void RecordingControls::askToRecord()
{
    const QString suggested
        = QDir(m_flight->options().directory)
              .filePath(QStringLiteral("eventscope-%1.escap")
                            .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    const QString path = QFileDialog::getSaveFileName(
        &m_window, tr("Record to a capture"), suggested, tr("EventScope captures (*.escap)"));
    if (path.isEmpty()) {
        m_record->setChecked(false);
        return;
    }
    startRecording(path);
}

void RecordingControls::askToSave()
{
    const QString suggested
        = QDir(m_flight->options().directory).filePath(FlightRecorder::fileNameFor(nowUs(), tr("saved")));
    const QString path = QFileDialog::getSaveFileName(&m_window,
        tr("Save the last %n minute(s)", nullptr, m_flight->options().minutes), suggested,
        tr("EventScope captures (*.escap)"));
    if (!path.isEmpty())
        m_flight->saveNow(path, nowUs());
}

void RecordingControls::editFlightRecorder()
{
    QDialog dialog(&m_window);
    dialog.setWindowTitle(tr("Flight recorder"));
    const FlightRecorder::Options o = m_flight->options();
    auto* armed = new QCheckBox(tr("Save a capture by itself when a trigger fires"), &dialog);
    armed->setChecked(m_flight->isArmed());
    auto* minutes = new QSpinBox(&dialog);
    minutes->setRange(1, 24 * 60);
    minutes->setValue(o.minutes);
    minutes->setSuffix(tr(" min"));
    auto* after = new QSpinBox(&dialog);
    after->setRange(0, 3600);
    after->setValue(o.afterSeconds);
    after->setSuffix(tr(" s"));
    auto* directory = new QLineEdit(o.directory, &dialog);
    auto* browse = new QPushButton(tr("Choose..."), &dialog);
    connect(browse, &QPushButton::clicked, &dialog, [&] {
        const QString d = QFileDialog::getExistingDirectory(&dialog, tr("Triggered captures go to"), directory->text());
        if (!d.isEmpty())
            directory->setText(d);
    });
    auto* row = new QHBoxLayout;
    row->addWidget(directory, 1);
    row->addWidget(browse);
    auto* breaker = new QCheckBox(tr("a circuit breaker opens"), &dialog);
    breaker->setChecked(o.onBreakerOpen);
    auto* dead = new QCheckBox(tr("a dead letter arrives"), &dialog);
    dead->setChecked(o.onDeadLetter);
    auto* filter = new QLineEdit(o.filter, &dialog);
    filter->setPlaceholderText(tr("an event matches, e.g.  type == \"booking.rejected\""));
    auto* form = new QFormLayout;
    form->addRow(armed);
    form->addRow(tr("Keep the last:"), minutes);
    form->addRow(tr("And after a trigger:"), after);
    form->addRow(tr("Save into:"), row);
    form->addRow(tr("Triggers:"), breaker);
    form->addRow(QString(), dead);
    form->addRow(QString(), filter);
    form->addRow(new QLabel(tr("What is kept is what the session retains (its memory cap)."), &dialog));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addLayout(form);
    layout->addWidget(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return;
    FlightRecorder::Options next;
    next.minutes = minutes->value();
    next.afterSeconds = after->value();
    next.directory = directory->text();
    next.onBreakerOpen = breaker->isChecked();
    next.onDeadLetter = dead->isChecked();
    next.filter = filter->text();
    QString error;
    if (!m_flight->setOptions(next, &error)) {
        QMessageBox::warning(&m_window, tr("Flight recorder"), tr("The filter does not parse: %1").arg(error));
        return;
    }
    m_flight->setArmed(armed->isChecked());
    if (m_persistent)
        saveOptions();
}

void RecordingControls::loadOptions()
{
    QSettings s;
    FlightRecorder::Options o;
    o.minutes = s.value(QStringLiteral("flight/minutes"), o.minutes).toInt();
    o.afterSeconds = s.value(QStringLiteral("flight/afterSeconds"), o.afterSeconds).toInt();
    o.directory = s.value(QStringLiteral("flight/directory"), QDir::homePath()).toString();
    o.onBreakerOpen = s.value(QStringLiteral("flight/onBreakerOpen"), o.onBreakerOpen).toBool();
    o.onDeadLetter = s.value(QStringLiteral("flight/onDeadLetter"), o.onDeadLetter).toBool();
    o.filter = s.value(QStringLiteral("flight/filter")).toString();
    QString error;
    if (!m_flight->setOptions(o, &error)) {
        // a stored filter that no longer parses (edited by hand): the rest stands, the filter goes
        o.filter.clear();
        m_flight->setOptions(o, &error);
    }
    m_flight->setArmed(s.value(QStringLiteral("flight/armed"), false).toBool());
}

void RecordingControls::saveOptions() const
{
    QSettings s;
    const FlightRecorder::Options& o = m_flight->options();
    s.setValue(QStringLiteral("flight/minutes"), o.minutes);
    s.setValue(QStringLiteral("flight/afterSeconds"), o.afterSeconds);
    s.setValue(QStringLiteral("flight/directory"), o.directory);
    s.setValue(QStringLiteral("flight/onBreakerOpen"), o.onBreakerOpen);
    s.setValue(QStringLiteral("flight/onDeadLetter"), o.onDeadLetter);
    s.setValue(QStringLiteral("flight/filter"), o.filter);
    s.setValue(QStringLiteral("flight/armed"), m_flight->isArmed());
}
