// SPDX-License-Identifier: MIT
// eventscope-cli's commands and the little they share.
#pragma once

#include "session.h"

#include <QStringList>
#include <QTextStream>

namespace Cli {
enum Exit { Ok = 0, MalformedInput = 1, BadFile = 2, ConnectionLost = 3, Usage = 64 };

QTextStream& err();
void print(const QString& text);
int usage();
/// Reads every file into the session; false (with a message) when one cannot be read at all.
bool load(Session& session, const QStringList& files);
Session::Config fileConfig();

int summary(const QStringList& args);
int chain(const QStringList& args);
int compare(const QStringList& args);
int generate(const QStringList& args);
int demoBus(const QStringList& args);
int record(const QStringList& args);
int serve(const QStringList& args);
} // namespace Cli
