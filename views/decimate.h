// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QPointF>

/// Reduces points sorted by x to at most two per pixel column: the minimum and the maximum of each column,
/// in x order, so spikes survive (a plain stride would drop them). `out` is reused between calls.
void decimateMinMax(const QList<QPointF>& in, double xFrom, double xTo, int pixels, QList<QPointF>& out);
