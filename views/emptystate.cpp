// SPDX-License-Identifier: MIT
#include "emptystate.h"

#include <QAbstractItemView>
#include <QEvent>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

EmptyState::EmptyState(QAbstractItemView* view, const QString& what)
    : QWidget(view->viewport())
    , m_view(view)
    , m_model(view->model())
    , m_label(new QLabel(this))
    , m_action(new QPushButton(this))
    , m_what(what)
{
    setObjectName(QStringLiteral("emptyState"));
    auto* layout = new QVBoxLayout(this);
    layout->addStretch();
    layout->addWidget(m_label);
    layout->addWidget(m_action, 0, Qt::AlignHCenter);
    layout->addStretch();
    m_label->setAlignment(Qt::AlignCenter);
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setForegroundRole(QPalette::PlaceholderText);
    m_action->hide();
    connect(m_action, &QPushButton::clicked, this, &EmptyState::actionTriggered);
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

void EmptyState::setAction(const QString& text)
{
    m_action->setText(text);
    m_action->setVisible(!text.isEmpty());
}

QString EmptyState::text() const { return m_label->text(); }

void EmptyState::update()
{
    m_label->setText(m_reason.isEmpty() ? m_what : m_what + QLatin1Char('\n') + m_reason);
    setGeometry(m_view->viewport()->rect().adjusted(16, 8, -16, -8));
    setVisible(!m_model || m_model->rowCount() == 0);
}

bool EmptyState::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Resize)
        setGeometry(m_view->viewport()->rect().adjusted(16, 8, -16, -8));
    return QWidget::eventFilter(watched, event);
}
