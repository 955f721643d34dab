// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class FlightRecorder;
class MainWindow;
class QAction;
class QLabel;
class QTimer;
class Session;
class SourceHub;

/// The live window's recording: File > Record to a capture (start/stop, every connection into one
/// file), the flight recorder's options (minutes kept, triggers, where triggered captures go) and
/// File > Save the last minutes. A red REC in the status bar while recording; notices for what was
/// saved and what failed.
class RecordingControls : public QObject
{
    Q_OBJECT
public:
    /// `persistent`: the flight recorder's options are read from and written to QSettings.
    RecordingControls(
        MainWindow& window, const Session& session, SourceHub& sources, bool persistent, QObject* parent = nullptr);
    ~RecordingControls() override;

    FlightRecorder* flightRecorder() const { return m_flight; }
    /// Starts or stops recording to `path` (the actions' dialogs end here).
    bool startRecording(const QString& path);
    void stopRecording();

private:
    void askToRecord();
    void askToSave();
    void editFlightRecorder();
    void loadOptions();
    void saveOptions() const;

    MainWindow& m_window;
    const Session& m_session;
    SourceHub& m_sources;
    FlightRecorder* m_flight;
    QAction* m_record;
    QLabel* m_rec;
    QTimer* m_tick;
    bool m_persistent;
};
