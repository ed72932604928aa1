package smconfig

import (
	"path/filepath"
	"testing"
)

func TestDefaultFiles(t *testing.T) {
	env := func(kv ...string) func(string) (string, bool) {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	j := filepath.Join
	for _, tc := range []struct {
		name, goos, home string
		env              func(string) (string, bool)
		want             files
	}{
		{"linux", "linux", "", env("HOME", "/home/me"),
			files{user: j("/home/me", ".config", "sagemaker", "config.yaml"), admin: j("/etc/xdg", "sagemaker", "config.yaml")}},
		{"linux xdg", "linux", "", env("HOME", "/home/me", "XDG_CONFIG_HOME", "/x", "XDG_CONFIG_DIRS", " :/sys1:/sys2"),
			files{user: j("/x", "sagemaker", "config.yaml"), admin: j("/sys1", "sagemaker", "config.yaml")}},
		{"linux blank xdg", "linux", "", env("HOME", "/home/me", "XDG_CONFIG_HOME", "  ", "XDG_CONFIG_DIRS", ":"),
			files{user: j("/home/me", ".config", "sagemaker", "config.yaml"), admin: j("/etc/xdg", "sagemaker", "config.yaml")}},
		{"home option", "freebsd", "/opt/h", env("HOME", "/home/me"),
			files{user: j("/opt/h", ".config", "sagemaker", "config.yaml"), admin: j("/etc/xdg", "sagemaker", "config.yaml")}},
		{"no home", "linux", "", env(), files{admin: j("/etc/xdg", "sagemaker", "config.yaml")}},
		{"darwin", "darwin", "", env("HOME", "/Users/me"),
			files{user: j("/Users/me", "Library", "Application Support", "sagemaker", "config.yaml"), admin: j("/Library/Application Support", "sagemaker", "config.yaml")}},
		{"darwin xdg", "darwin", "", env("HOME", "/Users/me", "XDG_CONFIG_HOME", "/x"),
			files{user: j("/x", "sagemaker", "config.yaml"), admin: j("/Library/Application Support", "sagemaker", "config.yaml")}},
		{"windows", "windows", "", env("USERPROFILE", `C:\Users\me`, "LOCALAPPDATA", `C:\Users\me\AppData\Local`, "PROGRAMDATA", `D:\ProgramData`),
			files{user: j(`C:\Users\me\AppData\Local`, "sagemaker", "sagemaker", "config.yaml"), admin: j(`D:\ProgramData`, "sagemaker", "sagemaker", "config.yaml")}},
		{"windows without LOCALAPPDATA", "windows", "", env("USERPROFILE", `C:\Users\me`),
			files{user: j(`C:\Users\me`, "AppData", "Local", "sagemaker", "sagemaker", "config.yaml"), admin: j(`C:\ProgramData`, "sagemaker", "sagemaker", "config.yaml")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := defaultFiles(tc.goos, tc.env, tc.home); got != tc.want {
				t.Fatalf("\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
