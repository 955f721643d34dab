// SPDX-License-Identifier: MIT
#include "emptystate.h"

#include <QAbstractItemView>
#include <QEvent>

EmptyState::EmptyState(QAbstractItemView* view, const QString& what)
    : QLabel(view->viewport())
    , m_view(view)
    , m_model(view->model())
    , m_what(what)
{
    setObjectName(QStringLiteral("emptyState"));
    setAlignment(Qt::AlignCenter);
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    setForegroundRole(QPalette::PlaceholderText);
    setAttribute(Qt::WA_TransparentForMouseEvents);
    view->viewport()->installEventFilter(this);
    if (m_model) {
        for (auto signal : { &QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved })
            connect(m_model, signal, this, &EmptyState::update);
        connect(m_model, &QAbstractItemModel::modelReset, this, &EmptyState::update);
        connect(m_model, &QAbstractItemModel::layoutChanged, this, &EmptyState::update);
    }
    update();
}

EmptyState::~EmptyState() = default;

void EmptyState::setWhat(const QString& what)
{
    m_what = what;
    update();
}

void EmptyState::setReason(const QString& reason)
{
    m_reason = reason;
    update();
}

void EmptyState::update()
{
    setText(m_reason.isEmpty() ? m_what : m_what + QLatin1Char('\n') + m_reason);
    setGeometry(m_view->viewport()->rect().adjusted(16, 8, -16, -8));
    setVisible(!m_model || m_model->rowCount() == 0);
}

bool EmptyState::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Resize)
        setGeometry(m_view->viewport()->rect().adjusted(16, 8, -16, -8));
    return QLabel::eventFilter(watched, event);
}
