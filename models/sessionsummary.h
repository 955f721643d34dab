// SPDX-License-Identifier: MIT
#pragma once

#include "blastradius.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

class Session;

/// The figures `eventscope-cli summary` prints, for scripts (JSON) and people (text).
namespace SessionSummary {
/// Each breaker's blast radius (BlastRadius) with `blast`'s options: the user's handler mapping.
QJsonObject toJson(const Session& session, const BlastRadius::Options& blast = {});
QString toText(const Session& session, const BlastRadius::Options& blast = {});
/// Per origin that read a JetStream stream, the sequences the stream no longer held when it was read
/// (a read by an ordered consumer loses nothing on the way): the first 100 ranges.
QJsonArray streamLosses(const Session& session);
/// The stream consumers a broker reported (JetStream), each as last reported, with its worst lag.
QJsonArray consumers(const Session& session);
/// What is estimated (Session::estimated()): from which event, which figures, and how likely the
/// filter judging them is to be wrong for one id.
QJsonObject estimates(const Session& session);
/// Why a session read from files holds no event, said first ("0 events: the file is empty", "0 events:
/// all 12 records are malformed; the first: line 1 ..."); empty when it holds some. `bytesRead` is
/// what the files held.
QString whyNoEvents(const Session& session, qint64 bytesRead);
} // namespace SessionSummary
