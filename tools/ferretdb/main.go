// Command ferretdb-test runs FerretDB 1.24 embedded, on loopback: with its SQLite backend for the
// MongoDB contract tests (the default), or with its PostgreSQL backend (--handler=postgresql
// --postgresql-url=postgres://…) for the benchmark's MongoDB rows (bench/ferret-pg.ts). Both
// handlers are compiled in (FerretDB registers them unless built with ferretdb_no_* tags).
// FerretDB's own cmd/ferretdb cannot be built with `go install` from the module proxy (it panics
// without a generated version file), so we embed its library instead.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	addr := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on (loopback only)")
	handler := flag.String("handler", "sqlite", "backend: sqlite or postgresql")
	dir := flag.String("sqlite-dir", "", "directory for the SQLite databases (required with the sqlite handler)")
	pgURL := flag.String("postgresql-url", "", "PostgreSQL URL (required with the postgresql handler)")
	flag.Parse()
	switch *handler {
	case "sqlite":
		if *dir == "" {
			fmt.Fprintln(os.Stderr, "ferretdb-test: --sqlite-dir is required")
			os.Exit(2)
		}
		if err := os.MkdirAll(*dir, 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "ferretdb-test:", err)
			os.Exit(1)
		}
	case "postgresql":
		if *pgURL == "" {
			fmt.Fprintln(os.Stderr, "ferretdb-test: --postgresql-url is required")
			os.Exit(2)
		}
	default:
		fmt.Fprintln(os.Stderr, "ferretdb-test: --handler must be sqlite or postgresql")
		os.Exit(2)
	}
	sqliteURL := ""
	if *handler == "sqlite" {
		sqliteURL = "file:" + *dir + "/"
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *addr},
		Handler:       *handler,
		SQLiteURL:     sqliteURL,
		PostgreSQLURL: *pgURL,
		Logger:        logger,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-test:", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Println(f.MongoDBURI())
	if err := f.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb-test:", err)
		os.Exit(1)
	}
}
