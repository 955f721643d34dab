// SPDX-License-Identifier: MIT
#pragma once

#include <QLabel>
#include <QPointer>

class QAbstractItemModel;
class QAbstractItemView;

/// Says why a table is empty, centred over its viewport ("No events yet", and why: connecting to
/// ws://..., attempt 4, connection refused), shown while the view's model has no rows and hidden as
/// soon as it has one. A label, not painted text, so screen readers read it too.
class EmptyState : public QLabel
{
    Q_OBJECT
public:
    /// Over `view`, whose model is set already; `what` says what is missing ("No events yet").
    EmptyState(QAbstractItemView* view, const QString& what);
    ~EmptyState() override;

    void setWhat(const QString& what);
    /// Why (the connection's state, a capture's summary); empty: only what is missing.
    void setReason(const QString& reason);
    /// Whether it shows now (the model is empty).
    bool isShown() const { return !isHidden(); }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void update();

    QAbstractItemView* m_view;
    QPointer<QAbstractItemModel> m_model;
    QString m_what;
    QString m_reason;
};
