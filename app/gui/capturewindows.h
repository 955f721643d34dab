// SPDX-License-Identifier: MIT
#pragma once

#include "capturesession.h"
#include "decodeas.h"
#include "jsonschema.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

class CompareWindow;
class MainWindow;
class NotesPanel;
class ReplayBar;

/// One opened capture in a window of its own: a CaptureSession (the file read into its own Session,
/// replay, notes) shown by a MainWindow with a replay bar and a Bookmarks panel. The window stays
/// responsive while the file is read; the status bar shows the progress with Cancel, then what was
/// read and what was skipped.
class CaptureWindow : public CaptureSession
{
    Q_OBJECT
public:
    /// Opens `path` (owned by `parent`); nullptr with `error` set when it is not a capture (nothing is shown).
    static CaptureWindow* open(const QString& path, bool persistent, QString* error, QObject* parent,
        const DecodeAs& decodeAs = {}, std::shared_ptr<const SchemaRegistry> schemas = {});
    ~CaptureWindow() override;

    /// A range of a bus's history (CaptureSession::openHistory()), recorded into `recordPath` as it
    /// is read: a temporary file, removed with the window unless File > Save capture as keeps it.
    static CaptureWindow* openHistory(const ConnectionSettings& settings, const QString& recordPath, bool persistent,
        QString* error, QObject* parent, std::shared_ptr<const SchemaRegistry> schemas = {});
    /// File > Save capture as: false (said in a message box) when it cannot be.
    bool saveTo(const QString& path);
    /// A history read's file that goes with the window.
    bool isTemporary() const { return m_temporary; }

    MainWindow* window() const;
    ReplayBar* replayBar() const { return m_bar; }
    NotesPanel* notesPanel() const { return m_notesPanel; }
    /// Opens a window comparing this capture (as before) with `other` (as after).
    CompareWindow* compareWith(const QString& other);

Q_SIGNALS:
    /// The user closed the window.
    void closed();

private:
    explicit CaptureWindow(QObject* parent);
    /// The window, its replay bar and Bookmarks panel, wired to the session.
    void build(const QString& title, bool persistent);
    void showNotes();
    void askForNote(const QString& kind);

    QPointer<MainWindow> m_window; ///< deletes itself when closed
    ReplayBar* m_bar = nullptr;
    NotesPanel* m_notesPanel = nullptr;
    bool m_temporary = false;
};

/// Every capture open in its own window (File > Open, drag and drop, recent captures, the command line).
class CaptureWindows : public QObject
{
    Q_OBJECT
public:
    explicit CaptureWindows(QObject* parent = nullptr);
    ~CaptureWindows() override;

    /// Whether the windows remember their layout and the recent captures in QSettings.
    void setPersistent(bool persistent) { m_persistent = persistent; }
    /// The schemas the captures opened from now on check their payloads against (null: none).
    void setSchemas(std::shared_ptr<const SchemaRegistry> schemas, const QList<SchemaProblem>& problems);
    /// Opens `path` in a new window, decoded as chosen (none: as chosen last for this file, when the
    /// windows are persistent); nullptr with `error` set when it cannot be opened.
    /// A persistent capture opened again checks its payloads against the schemas last loaded for it (when
    /// no schemas are set for every capture).
    CaptureWindow* open(const QString& path, QString* error, const std::optional<DecodeAs>& decodeAs = std::nullopt);
    /// Reads a range of a bus's history (CaptureSession::isHistoryRead()) into a new window, recorded
    /// into a temporary capture in historyDirectory(); nullptr with `error` set when it cannot be.
    CaptureWindow* openHistory(const ConnectionSettings& settings, QString* error);
    /// Where history reads are recorded: the user's cache directory unless set.
    QString historyDirectory() const;
    void setHistoryDirectory(const QString& path) { m_historyDirectory = path; }
    /// File > Load schemas in `capture`'s window: its file is read again, checked against the schemas at
    /// `path`, which a persistent capture remembers. Null with `problems` saying why when they cannot be
    /// loaded (the capture is left as it was).
    std::shared_ptr<const SchemaRegistry> loadSchemas(
        CaptureWindow* capture, const QString& path, QList<SchemaProblem>* problems);
    QList<CaptureWindow*> windows() const;

Q_SIGNALS:
    /// A window was opened: wire its File menu (demo, connect) to the application.
    void opened(CaptureWindow* capture);

private:
    /// A capture just opened (null: none): shown, wired, freed when its window closes.
    CaptureWindow* show(CaptureWindow* capture, const QList<SchemaProblem>& problems);

    bool m_persistent = false;
    QString m_historyDirectory;
    std::shared_ptr<const SchemaRegistry> m_schemas;
    QList<SchemaProblem> m_schemaProblems;
};
