// SPDX-License-Identifier: MIT
#include "eventlogpanel.h"

#include "colours.h"
#include "eventdetail.h"
#include "eventfilter.h"
#include "eventlogmodel.h"
#include "printable.h"
#include "session.h"
#include "tablesetup.h"

#include <QCheckBox>
#include <QDataStream>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

EventLogPanel::EventLogPanel(const Session& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new EventLogModel(session, this))
    , m_filter(new QLineEdit(this))
    , m_filterError(new QLabel(this))
    , m_follow(new QCheckBox(tr("Follow"), this))
    , m_count(new QLabel(this))
    , m_table(new QTableView(this))
    , m_detail(new EventDetail(session, this))
{
    m_filter->setPlaceholderText(
        tr("Filter, e.g.  booking.* && payload.bookingId == \"BK-10042\"   or   \"timed out\""));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Event filter"));
    m_filter->setToolTip(
        tr("Fields: type, source, origin, seq, delay, or any JSON path (payload.x, id, correlationId).\n"
           "Operators: == != ~ (glob) contains < <= > >=;  && || ! and parentheses.\n"
           "A bare word or \"quoted text\" is searched anywhere in the event; booking.* is a type glob."));
    m_filterError->setTextFormat(Qt::PlainText);
    m_filterError->setStyleSheet(QStringLiteral("color: %1").arg(Colours::alarmText(palette()).name()));
    m_filterError->hide();
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the newest events in view (unchecked: the list holds still)"));
    auto* columns = new QPushButton(tr("Add column..."), this);
    columns->setToolTip(tr("Add a column with a JSON field of each event, e.g. payload.bookingId"));
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(columns);
    bar->addWidget(m_follow);
    m_count->setObjectName(QStringLiteral("logCount"));
    bar->addWidget(m_count);

    m_table->setModel(m_model);
    m_table->setObjectName(QStringLiteral("eventLogTable"));
    m_table->setAccessibleName(tr("Event log"));
    setUpTable(m_table, 4);
    m_table->horizontalHeader()->setStretchLastSection(true);
    sizeColumnsToTypicalContent(m_table);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(m_filterError);
    layout->addWidget(split, 1);

    connect(m_filter, &QLineEdit::returnPressed, this, [this] { setFilterText(m_filter->text()); });
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& t) {
        if (t.isEmpty())
            setFilterText(t);
    });
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) { m_model->setPaused(!on); });
    connect(columns, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString path = QInputDialog::getText(this, tr("Add column"), tr("JSON field (e.g. payload.bookingId):"),
            QLineEdit::Normal, QStringLiteral("payload."), &ok);
        if (ok && !path.trimmed().isEmpty())
            addFieldColumn(path.trimmed());
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& i) { m_detail->setEvent(i.isValid() ? m_model->eventAt(i.row()) : 0xFFFFFFFFu); });
    connect(m_table, &QTableView::doubleClicked, this,
        [this](const QModelIndex& i) { Q_EMIT chainRequested(m_model->eventAt(i.row())); });
    connect(m_detail, &EventDetail::chainRequested, this, &EventLogPanel::chainRequested);
    connect(m_table, &QTableView::customContextMenuRequested, this, &EventLogPanel::showContextMenu);
    // scrolling up to read stops following; scrolling back to the bottom follows again
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (m_table->verticalScrollBar()->isSliderDown())
            setFollowing(value == m_table->verticalScrollBar()->maximum());
    });
}

EventLogPanel::~EventLogPanel() = default;

void EventLogPanel::reset()
{
    m_model->reset();
    m_detail->setEvent(EventStore::NotFound);
}

void EventLogPanel::refresh()
{
    m_model->refresh();
    if (m_follow->isChecked() && m_model->rowCount() > 0 && !m_table->verticalScrollBar()->isSliderDown())
        m_table->scrollToBottom();
    const int rows = m_model->rowCount();
    if (m_model->isFilling())
        m_count->setText(tr("%L1 shown, searching...").arg(rows));
    else if (m_model->filter().isEmpty() && quint64(rows) < m_session.retainedCount()) // only part: say so
        m_count->setText(tr("%L1 of %L2 events shown (the newest)").arg(rows).arg(m_session.retainedCount()));
    else if (!m_model->filter().isEmpty() && rows >= m_model->maxRows())
        m_count->setText(
            tr("%L1 shown: the newest matches, at most %L2; refine the filter").arg(rows).arg(m_model->maxRows()));
    else
        m_count->setText(tr("%L1 shown").arg(rows));
}

bool EventLogPanel::setFilterText(const QString& text)
{
    EventFilter filter;
    QString error;
    if (!filter.parse(text, &error)) {
        m_filterError->setText(tr("Filter not applied: %1").arg(error));
        m_filterError->show();
        m_filter->setStyleSheet(
            QStringLiteral("QLineEdit { border: 1px solid %1; }").arg(Colours::alarmText(palette()).name()));
        return false;
    }
    m_filterError->hide();
    m_filter->setStyleSheet(QString());
    if (m_filter->text() != text)
        m_filter->setText(text);
    m_model->setFilter(std::move(filter));
    refresh();
    return true;
}

void EventLogPanel::setFollowing(bool follow) { m_follow->setChecked(follow); }

bool EventLogPanel::isFollowing() const { return m_follow->isChecked(); }

void EventLogPanel::addFieldColumn(const QString& path)
{
    QStringList columns = m_model->fieldColumns();
    if (!columns.contains(path))
        columns << path;
    m_model->setFieldColumns(columns);
}

quint32 EventLogPanel::currentEvent() const
{
    const QModelIndex i = m_table->currentIndex();
    return i.isValid() ? m_model->eventAt(i.row()) : 0xFFFFFFFFu;
}

void EventLogPanel::selectEvent(quint32 event)
{
    if (!m_session.store().contains(event))
        return;
    int row = m_model->rowOf(event);
    if (row < 0 && !m_model->isFixed() && !m_model->filter().matches(m_session, event))
        setFilterText(QString());
    setFollowing(false);
    m_model->refresh(50);
    row = m_model->rowOf(event);
    if (row >= 0) {
        m_table->selectRow(row);
        m_table->scrollTo(m_model->index(row, 0), QAbstractItemView::PositionAtCenter);
    }
    m_detail->setEvent(event);
}

void EventLogPanel::showContextMenu(const QPoint& pos)
{
    const QModelIndex index = m_table->indexAt(pos);
    if (!index.isValid())
        return;
    QMenu menu(this);
    const QString value = index.data(EventLogModel::SortRole).toString(); // the whole text, not the shown
    const QString field = index.column() == EventLogModel::TypeColumn ? QStringLiteral("type")
        : index.column() == EventLogModel::SourceColumn               ? QStringLiteral("source")
        : index.column() == EventLogModel::CorrelationColumn          ? QStringLiteral("correlationId")
        : index.column() == EventLogModel::IdColumn                   ? QStringLiteral("id")
        : index.column() >= EventLogModel::FixedColumnCount
        ? m_model->headerData(index.column(), Qt::Horizontal).toString()
        : QString();
    if (!field.isEmpty() && !value.isEmpty()) {
        const QString term = EventFilter::equals(field, value);
        menu.addAction(
            tr("Filter on %1").arg(Printable::forDisplay(term)), this, [this, term] { setFilterText(term); });
        if (!m_filter->text().trimmed().isEmpty())
            menu.addAction(tr("Add to filter: && %1").arg(term), this,
                [this, term] { setFilterText(QStringLiteral("(%1) && %2").arg(m_filter->text(), term)); });
    }
    const quint32 event = m_model->eventAt(index.row());
    menu.addAction(tr("Show its chain"), this, [this, event] { Q_EMIT chainRequested(event); });
    if (index.column() >= EventLogModel::FixedColumnCount) {
        const QString path = m_model->headerData(index.column(), Qt::Horizontal).toString();
        menu.addAction(tr("Remove column %1").arg(path), this, [this, path] {
            QStringList columns = m_model->fieldColumns();
            columns.removeAll(path);
            m_model->setFieldColumns(columns);
        });
    }
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

QByteArray EventLogPanel::saveState() const
{
    QByteArray out;
    QDataStream s(&out, QIODevice::WriteOnly);
    s << quint8(1) << m_model->filter().text() << m_model->fieldColumns() << m_table->horizontalHeader()->saveState();
    return out;
}

void EventLogPanel::restoreState(const QByteArray& state)
{
    QDataStream s(state);
    quint8 version = 0;
    QString filter;
    QStringList columns;
    QByteArray header;
    s >> version >> filter >> columns >> header;
    if (s.status() != QDataStream::Ok || version != 1)
        return;
    m_model->setFieldColumns(columns);
    m_table->horizontalHeader()->restoreState(header);
    m_filter->setText(filter);
    setFilterText(filter); // a stored filter that no longer parses says so, and the log shows everything
}
